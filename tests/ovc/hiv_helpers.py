"""Fixtures of the HIV care tests: registry facilities, an HIV-exposed infant, a positive
child with a completed testing referral."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from case_apps.ovc import date_rules, services
from case_apps.ovc.models import Enrolment, HivScreening
from shared_registry.models import County, Facility
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child
from tests.ovc.conftest import as_member, enrol

TODAY = timezone.localdate
JOOTRH = "13939"  # Jaramogi Oginga Odinga Teaching and Referral Hospital
KONDELE = "13701"


@pytest.fixture
def facilities(db) -> dict[str, Facility]:
    kisumu, _ = County.objects.get_or_create(code="042", defaults={"name": "Kisumu"})
    return {
        code: Facility.objects.update_or_create(
            code=code, defaults={"name": name, "county": kisumu}
        )[0]
        for code, name in (
            (JOOTRH, "Jaramogi Oginga Odinga Teaching and Referral Hospital"),
            (KONDELE, "Kondele Health Centre"),
        )
    }


def days_ago(days: int) -> date:
    return TODAY() - timedelta(days=days)


def make_infant(world, household, *, born_days_ago: int = 250) -> Enrolment:
    """An HIV-exposed infant (HHEI, ECHEI) of beta's household, born that many days ago."""
    infant = make_child("Tumaini", "Wanjiku", sex="SMAL", date_of_birth=days_ago(born_days_ago))
    with workspace_context(world.beta):
        return enrol(
            world.beta,
            world.beta_worker,
            household,
            child=infant,
            registration_date=days_ago(10),
            eligibility=["ECHEI"],
            hiv_status="HHEI",
            art_status="ARPR",
            facility=JOOTRH,
            school_level="SLNS",
        )


def screen_and_test(world, enrolment, result: str = "HSTP", **result_fields) -> HivScreening:
    """A screening with a risk, referred, then tested with ``result`` (in beta's schema)."""
    actor = as_member(world.beta_worker, world.beta)
    with date_rules.entered_on(days_ago(0)):
        screening = services.hiv_screening_record(
            actor=actor,
            enrolment=enrolment,
            screened_on=days_ago(20),
            status_known="HSKN",
            tested_last_6_months=False,
            risks=["sexual_abuse"],
            referred_on=days_ago(19),
        )
        return services.hiv_referral_result_record(
            actor=actor,
            screening=screening,
            referral_completed_on=days_ago(10),
            test_result=result,
            **result_fields,
        )
