"""OVC fixtures: beta is an implementing partner; its worker runs the programme."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from case_apps.ovc import services
from case_apps.ovc.models import Enrolment, Household
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child

ALL_MET = dict.fromkeys(range(1, 10), "yes")


def make_caregiver(first_name: str = "Mary", surname: str = "Wanjiku"):
    return make_child(first_name, surname, sex="SFEM", date_of_birth=date(1985, 5, 1))


@dataclass
class OvcHousehold:
    household: Household
    enrolment: Enrolment


def enrol(organisation, actor, household, child=None, **overrides) -> Enrolment:
    fields = {
        "registration_date": timezone.localdate() - timedelta(days=30),
        "eligibility": ["ECFD", "ECHV"],
        "hiv_status": "HSTN",
        "school_level": "SLPR",
    }
    fields.update(overrides)
    return services.child_enrol(
        organisation=organisation,
        actor=actor,
        household=household,
        child=child or make_child("Baraka", "Wanjiku", sex="SMAL"),
        **fields,
    )


@pytest.fixture
def beta_household(world, db) -> OvcHousehold:
    with workspace_context(world.beta):
        household = services.household_register(
            organisation=world.beta,
            actor=world.beta_worker,
            head=make_caregiver(),
            village="Kondele",
        )
        enrolment = enrol(world.beta, world.beta_worker, household)
    return OvcHousehold(household, enrolment)
