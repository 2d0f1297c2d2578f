"""Field capture fixtures: beta (an implementing partner) with its case worker as the
volunteer, a supervisor of theirs, and an enrolled child in the volunteer's household."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import uuid4

import pytest
from django.utils import timezone

from case_apps.cases.models import Supervision
from case_apps.ovc import services as ovc_services
from case_apps.ovc.models import Enrolment, Household
from tenants.models import Role, User
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.factories import UserFactory
from tests.ovc.conftest import as_member, enrol, make_caregiver


@dataclass
class Field:
    household: Household
    enrolment: Enrolment
    supervisor: User
    device: str


@pytest.fixture
def field(world, db) -> Field:
    supervisor = UserFactory(email=f"sup-{uuid4().hex[:6]}@beta.test", full_name="Susan Supervisor")
    membership_grant(user=supervisor, organisation=world.beta, roles=[Role.SUPERVISOR])
    with workspace_context(world.beta):
        Supervision.objects.create(supervisor=supervisor, officer=world.beta_worker)
        household = ovc_services.household_register(
            actor=as_member(world.beta_worker, world.beta), head=make_caregiver(), village="Kondele"
        )
        enrolment = enrol(world.beta, world.beta_worker, household)
    return Field(household, enrolment, supervisor, str(uuid4()))


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def service_form(enrolment_id: int, **overrides) -> dict:
    form = {
        "uuid": str(uuid4()),
        "kind": "service",
        "target_id": enrolment_id,
        "visit_date": days_ago(3).isoformat(),
        "payload": {"domain": "safe", "service": "CP62SA", "provider": "CHV Akinyi"},
    }
    form.update(overrides)
    return form


def screening_form(enrolment_id: int, **overrides) -> dict:
    form = {
        "uuid": str(uuid4()),
        "kind": "hiv_screening",
        "target_id": enrolment_id,
        "visit_date": days_ago(2).isoformat(),
        "payload": {
            "status_known": "HSKN",
            "tested_last_6_months": False,
            "risks": ["sexual_abuse"],
            "not_referred_reason": "Caregiver away",
        },
    }
    form.update(overrides)
    return form
