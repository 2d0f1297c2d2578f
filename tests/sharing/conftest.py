"""Sharing fixtures: beta holds a child's case; acme asks; DCS headquarters approves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from sharing import services
from tenants.actor import Actor
from tenants.models import PlatformRole, Role, User
from tenants.services import membership_grant
from tests.case_apps.conftest import make_child, open_case
from tests.factories import UserFactory

SHARED_VILLAGE = "ZQXSHAREDVILLAGE"
SECRET_NARRATIVE = "ZQXSECRETNARRATIVE"


@dataclass
class Scene:
    beta_admin: User
    approver: User
    child: object
    other_child: object
    case: object


@pytest.fixture
def scene(world, national_lists, db) -> Scene:
    beta_admin = UserFactory(email="admin@beta.test", full_name="Baraka Admin")
    membership_grant(user=beta_admin, organisation=world.beta, roles=[Role.ORGANISATION_ADMIN])
    approver = UserFactory(email="sharing@dcs.test", platform_roles=[PlatformRole.SHARING_APPROVER])
    child = make_child("Neema", "Chepkoech")
    other_child = make_child("Otieno", "Kamau")
    case = open_case(
        world.beta,
        world.beta_worker,
        child,
        narrative=SECRET_NARRATIVE,
        occurrence_village=SHARED_VILLAGE,
    )
    open_case(world.beta, world.beta_worker, other_child, narrative=SECRET_NARRATIVE)
    return Scene(beta_admin, approver, child, other_child, case)


def request_agreement(world, scene, **overrides):
    today = timezone.localdate()
    fields = {
        "requester": world.acme,
        "provider": world.beta,
        "actor": world.acme_admin,
        "scope": {"case_summary": ["national_reference", "occurrence_village"]},
        "persons_mode": "named",
        "person_ids": [scene.child.pk],
        "purpose": "Continuity of care after placement",
        "legal_basis": "Children Act 2022 s.47",
        "start_date": today,
        "end_date": today + timedelta(days=90),
    }
    fields.update(overrides)
    if not isinstance(fields["actor"], Actor):  # no workspace: the policy finds the membership
        fields["actor"] = Actor(user=fields["actor"])
    return services.agreement_request(**fields)


def active_agreement(world, scene, **overrides):
    agreement = request_agreement(world, scene, **overrides)
    services.agreement_accept(agreement=agreement, actor=Actor(user=scene.beta_admin))
    return services.agreement_approve(agreement=agreement, actor=Actor(user=scene.approver))
