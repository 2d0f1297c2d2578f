"""Issue 14, finding 9: two administrators revoking each other at the same moment leave the
organisation one administrator (the check locks the organisation first)."""

from __future__ import annotations

import pytest

from provisioning import blueprint
from provisioning.services import organisation_provision
from tenants.models import Membership, Role, User
from tenants.services import membership_grant, organisation_create
from tests.factories import UserFactory
from tests.races import Request, race

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def two_admins(world, django_db_blocker):
    """An organisation of its own with exactly two administrators (committed)."""
    with django_db_blocker.unblock():
        organisation = organisation_provision(
            organisation=organisation_create(name="Race Home", slug="race-admins", kind="cci")
        )
        first = UserFactory(email="first@race-admins.test")
        second = UserFactory(email="second@race-admins.test")
        for user in (first, second):
            membership_grant(user=user, organisation=organisation, roles=[Role.ORGANISATION_ADMIN])
    yield organisation, first, second
    with django_db_blocker.unblock():
        blueprint.schema_drop(organisation.schema_name)
        organisation.delete()
        User.objects.filter(pk__in=[first.pk, second.pk]).delete()


def test_two_administrators_revoking_each_other_leave_one(two_admins):
    organisation, first, second = two_admins
    memberships = Membership.objects.filter(organisation=organisation)
    first_membership = memberships.get(user=first)
    second_membership = memberships.get(user=second)
    one = Request(organisation, first, f"/members/{second_membership.pk}/revoke/")
    other = Request(organisation, second, f"/members/{first_membership.pk}/revoke/")
    race(one, other, chain_schema=organisation.schema_name)
    assert {one.status, other.status} <= {302, 403}  # a message or a refusal, never a 500
    admins = memberships.filter(is_active=True, roles__contains=[Role.ORGANISATION_ADMIN])
    assert admins.count() == 1
