"""The household and child pages' context for hiv (issue 18; case_apps/ovc/panels.py):
caregivers' HIV status on the household page; the facilities by name, the HEI schedule and
outcome, and whether the child follows the HEI path on the child page."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from case_apps.ovc import selectors_hiv
from case_apps.ovc.models import Enrolment, Household
from case_apps.ovc.models_hiv import HeiFinalOutcome, HeiOutcome, HeiTest
from case_apps.ovc.views_common import labels
from tenants.actor import Actor


def hiv_labels(rows=(), facility_codes=()) -> Any:
    """The OVC labels with HIV care's own: HEI tests and outcomes, and the facilities of
    these rows (screenings, HEI rows) by name."""
    found = labels()
    found["hei_test"] = {code: str(label) for code, label in HeiTest.choices}
    found["hei_outcome"] = {code: str(label) for code, label in HeiOutcome.choices}
    codes = set(facility_codes)
    for row in rows:
        codes.update(
            getattr(row, name, "") for name in ("test_facility", "art_facility", "facility")
        )
    found["facility"] = selectors_hiv.facility_names(codes)
    return found


def household_context(actor: Actor, household: Household) -> dict[str, Any]:
    return {"caregivers": selectors_hiv.caregiver_statuses(household)}


def enrolment_context(actor: Actor, enrolment: Enrolment) -> dict[str, Any]:
    screenings = list(enrolment.screenings.all())
    outcome = HeiFinalOutcome.objects.filter(enrolment=enrolment).first()
    hei = enrolment.hiv_status == "HHEI" or "ECHEI" in (enrolment.eligibility or [])
    facility_codes = [enrolment.facility, outcome.art_facility if outcome else ""]
    return {
        "hiv_labels": hiv_labels(screenings, facility_codes),
        "hei_path": hei and outcome is None,
        "hei": hei,
        "hei_outcome": outcome,
        "hei_schedule": selectors_hiv.hei_schedule(
            enrolment, enrolment.child.date_of_birth, timezone.localdate()
        )
        if hei
        else [],
    }
