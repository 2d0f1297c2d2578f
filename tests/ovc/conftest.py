"""OVC fixtures: beta is an implementing partner; its worker runs the programme."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from case_apps.ovc import date_rules, services
from case_apps.ovc.models import Enrolment, Household
from case_apps.ovc.services_visits import household_visit_record
from tenants.actor import Actor
from tenants.models import Membership
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child

ALL_MET = dict.fromkeys(range(1, 10), "yes")
TODAY = timezone.localdate


def as_member(user, organisation) -> Actor:
    """The user acting in the organisation, with their membership there (if any)."""
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    return Actor(user=user, membership=membership, organisation=organisation)


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
    # entered on the day it records (the 28-day rule at entry has tests of its own)
    day = min(fields["registration_date"] or timezone.localdate(), timezone.localdate())
    with date_rules.entered_on(day):
        return services.child_enrol(
            actor=as_member(actor, organisation),
            household=household,
            child=child or make_child("Baraka", "Wanjiku", sex="SMAL"),
            **fields,
        )


@pytest.fixture
def beta_household(world, db) -> OvcHousehold:
    with workspace_context(world.beta):
        household = services.household_register(
            actor=as_member(world.beta_worker, world.beta),
            head=make_caregiver(),
            village="Kondele",
        )
        enrolment = enrol(world.beta, world.beta_worker, household)
    return OvcHousehold(household, enrolment)


MARKER = "ZQXOVCMARKER"


@pytest.fixture
def beta_programme(world):
    with workspace_context(world.beta):
        household = services.household_register(
            actor=as_member(world.beta_worker, world.beta),
            head=make_child("Marker", "Caregiver", date_of_birth=None),
            village=MARKER,
        )
        enrolment = services.child_enrol(
            actor=as_member(world.beta_worker, world.beta),
            household=household,
            child=make_child("Marker", "Child"),
            registration_date=TODAY(),
            eligibility=["ECFD"],
            hiv_status="HSTP",
            art_status="ARAR",
            facility=MARKER,
            school_level="SLPR",
        )
        services.service_record(
            actor=as_member(world.beta_worker, world.beta),
            enrolment=enrolment,
            domain="safe",
            service="CP62SA",
            provider=MARKER,
            date=TODAY(),
        )
        screening = services.hiv_screening_record(
            actor=as_member(world.beta_worker, world.beta),
            enrolment=enrolment,
            screened_on=TODAY(),
            status_known="HSKN",
            tested_last_6_months=False,
            risks=["sexual_abuse"],
            not_referred_reason=MARKER,
        )
        item = services.case_plan_item_add(
            actor=as_member(world.beta_worker, world.beta),
            household=household,
            domain="safe",
            goal="GH6SA",
            gap="GN62SA",
            services=["CP62SA"],
            responsible="chv",
            due_date=TODAY(),
        )
        services.cpara_record(
            actor=as_member(world.beta_worker, world.beta),
            household=household,
            assessed_on=TODAY(),
            answers=ALL_MET,
        )
        household_visit_record(
            actor=as_member(world.beta_worker, world.beta),
            household=household,
            visited_on=TODAY(),
            outcome="met",
            purposes=["routine"],
            children_seen=[enrolment.pk],
            observations=MARKER,
        )
    return household, enrolment, screening, item


def ovc_urls(household, enrolment, screening, item) -> list[str]:
    h, e = household.pk, enrolment.pk
    return [
        "/ovc/",
        "/ovc/?q=caregiver",
        "/ovc/find-person/?for=household",
        f"/ovc/find-person/?for=enrol&household={h}",
        "/ovc/households/new/?person=1",
        f"/ovc/households/{h}/",
        f"/ovc/households/{h}/assign/",
        f"/ovc/households/{h}/members/new/?person=1",
        f"/ovc/households/{h}/enrol/?person=1",
        f"/ovc/households/{h}/cpara/new/",
        f"/ovc/households/{h}/plan/new/",
        f"/ovc/households/{h}/wellbeing/new/?kind=WBG",
        f"/ovc/households/{h}/plan/{item.pk}/complete/",
        f"/ovc/households/{h}/visits/new/",
        f"/ovc/children/{e}/",
        f"/ovc/children/{e}/services/new/",
        f"/ovc/children/{e}/edit/",
        f"/ovc/children/{e}/screening/new/",
        f"/ovc/children/{e}/screening/{screening.pk}/result/",
        f"/ovc/children/{e}/hiv-visits/new/",
        f"/ovc/children/{e}/exit/",
    ]
