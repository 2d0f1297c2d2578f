"""The policy module: what each role may do, and that nothing crosses organisations."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tenants.models import OrganisationStatus, PlatformRole, Role
from tenants.policy import ROLE_PERMISSIONS, Permission, may
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_each_role_enters_its_own_workspace_only(world, role):
    member = UserFactory()
    MembershipFactory(user=member, organisation=world.acme, roles=[role])
    assert may(member, Permission.ENTER_WORKSPACE, organisation=world.acme)
    assert not may(member, Permission.ENTER_WORKSPACE, organisation=world.beta)
    assert not may(member, Permission.USE_CONSOLE)


@pytest.mark.parametrize(
    ("role", "permission", "expected"),
    [
        (Role.VIEWER, Permission.RECORD_CASES, False),
        (Role.DATA_CLERK, Permission.RECORD_CASES, True),
        (Role.CASE_WORKER, Permission.SUPERVISE_CASES, False),
        (Role.SUPERVISOR, Permission.SUPERVISE_CASES, True),
        (Role.SUPERVISOR, Permission.MANAGE_MEMBERS, False),
        (Role.ORGANISATION_ADMIN, Permission.MANAGE_MEMBERS, True),
        (Role.ORGANISATION_ADMIN, Permission.VIEW_ORGANISATION_AUDIT_LOG, True),
    ],
)
def test_role_permissions(world, role, permission, expected):
    member = UserFactory()
    MembershipFactory(user=member, organisation=world.acme, roles=[role])
    assert may(member, permission, organisation=world.acme) is expected


def test_roles_combine(world):
    member = UserFactory()
    MembershipFactory(user=member, organisation=world.acme, roles=[Role.VIEWER, Role.SUPERVISOR])
    assert may(member, Permission.SUPERVISE_CASES, organisation=world.acme)


def test_platform_roles_grant_platform_permissions_but_no_workspace(world):
    approver = UserFactory(platform_roles=[PlatformRole.SHARING_APPROVER])
    analyst = UserFactory(platform_roles=[PlatformRole.ANALYST])
    assert may(approver, Permission.APPROVE_SHARING)
    assert not may(analyst, Permission.APPROVE_SHARING)
    assert may(analyst, Permission.VIEW_NATIONAL_STATISTICS)
    for user in (approver, analyst, world.hq_admin):
        assert not may(user, Permission.VIEW_CASES, organisation=world.acme)


def test_outsider_and_anonymous_may_nothing(world):
    for user in (world.outsider, AnonymousUser()):
        for permission in Permission:
            assert not may(user, permission, organisation=world.acme)


def test_inactive_user_or_revoked_membership_or_suspended_organisation_may_nothing(world):
    member = UserFactory()
    membership = MembershipFactory(user=member, organisation=world.acme, roles=[Role.CASE_WORKER])
    assert may(member, Permission.VIEW_CASES, organisation=world.acme)
    world.acme.status = OrganisationStatus.SUSPENDED
    assert not may(member, Permission.VIEW_CASES, organisation=world.acme)
    world.acme.status = OrganisationStatus.ACTIVE
    membership.is_active = False
    membership.save()
    assert not may(member, Permission.VIEW_CASES, organisation=world.acme)
    membership.is_active = True
    membership.save()
    member.is_active = False
    assert not may(member, Permission.VIEW_CASES, organisation=world.acme)


def test_a_membership_of_another_organisation_is_never_accepted(world):
    beta_membership = world.beta.memberships.get(user=world.beta_worker)
    assert not may(
        world.beta_worker,
        Permission.VIEW_CASES,
        organisation=world.acme,
        membership=beta_membership,
    )


def test_every_role_has_permissions():
    assert set(ROLE_PERMISSIONS) == set(Role)
