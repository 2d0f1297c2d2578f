"""The HIV-exposed infant's (HEI) own path (issue 18 point 4): dated test visits on the
national schedule (PCR at 6 weeks, 6 and 12 months, antibody test at 18 months) and the
final outcome. An infant on this path is not pushed through the child risk screening
(``services_care.hiv_screening_record`` refuses it); the final outcome gives the child a
status (HSTP, linked to ART; HSTN) and writes the same ``ovc_hiv_status`` fact as a test
result does."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext

from case_apps.ovc import selectors_hiv
from case_apps.ovc.date_rules import EVENT_MAX_DAYS_BACK
from case_apps.ovc.facts import _fact
from case_apps.ovc.models import Enrolment
from case_apps.ovc.models_hiv import HeiFinalOutcome, HeiOutcome, HeiTest, HeiTestVisit
from case_apps.ovc.services_care import facility_check
from case_apps.ovc.services_common import (
    checks,
    child_of,
    not_future,
    plausible,
    recording_enrolment,
    within_days_back,
)
from case_apps.ovc.services_enrolment import _hivstat
from tenants.actor import Actor

RESULTS = ("HSTP", "HSTN")


def _on_hei_path(errors, enrolment: Enrolment) -> None:
    if not selectors_hiv.is_hei_path(enrolment):
        errors.add(
            "__all__",
            gettext("This child is not an HIV-exposed infant awaiting a final outcome."),
        )


@transaction.atomic
def hei_test_record(
    *, actor: Actor, enrolment: Enrolment | int, test: str, tested_on: date, result: str
) -> HeiTestVisit:
    """Record one test of the HEI schedule with its result (each test once)."""
    enrolment = recording_enrolment(actor, enrolment)
    errors = checks()
    _on_hei_path(errors, enrolment)
    if test not in HeiTest.values:
        errors.add("test", gettext("Choose a test of the HEI schedule."))
    elif enrolment.hei_tests.filter(test=test).exists():
        errors.add("test", gettext("This test is already recorded."))
    errors.check("result", "ovc_hiv_status", result)
    if result not in RESULTS:
        errors.add("result", gettext("The result is positive or negative."))
    if tested_on is None:
        errors.add("tested_on", gettext("This field is required."))
    not_future(errors, "tested_on", tested_on)
    plausible(errors, "tested_on", tested_on, child_of(enrolment))
    within_days_back(errors, "tested_on", tested_on, EVENT_MAX_DAYS_BACK)
    errors.raise_if_any()
    return HeiTestVisit.objects.create(
        enrolment=enrolment, test=test, tested_on=tested_on, result=result, recorded_by=actor.user
    )


@transaction.atomic
def hei_outcome_record(
    *,
    actor: Actor,
    enrolment: Enrolment | int,
    outcome: str,
    decided_on: date,
    art_facility: str = "",
    art_started_on: date | None = None,
) -> HeiFinalOutcome:
    """End the HEI follow-up: HIV positive (confirmed by a positive test, linked to ART at a
    registry facility), HIV negative (the antibody test at 18 months negative) or lost to
    follow-up (the status stays HEI unknown)."""
    enrolment = recording_enrolment(actor, enrolment)
    errors = checks()
    _on_hei_path(errors, enrolment)
    results = dict(enrolment.hei_tests.values_list("test", "result"))
    if outcome not in HeiOutcome.values:
        errors.add("outcome", gettext("Choose a final outcome."))
    elif outcome == HeiOutcome.POSITIVE:
        if "HSTP" not in results.values():
            errors.add("outcome", gettext("Record the positive test first."))
        if not art_facility:
            errors.add("art_facility", gettext("Name the facility where ART started."))
        if art_started_on is None:
            errors.add("art_started_on", gettext("Record when ART started."))
    elif outcome == HeiOutcome.NEGATIVE and results.get(HeiTest.ANTIBODY_18_MONTHS) != "HSTN":
        errors.add("outcome", gettext("A negative outcome needs the negative test at 18 months."))
    if outcome != HeiOutcome.POSITIVE and (art_facility or art_started_on):
        errors.add("art_facility", gettext("ART goes with a positive outcome."))
    facility_check(errors, "art_facility", art_facility)
    if decided_on is None:
        errors.add("decided_on", gettext("This field is required."))
    child = child_of(enrolment)
    for field_name, value in (("decided_on", decided_on), ("art_started_on", art_started_on)):
        not_future(errors, field_name, value)
        plausible(errors, field_name, value, child)
    within_days_back(errors, "decided_on", decided_on, EVENT_MAX_DAYS_BACK)
    errors.raise_if_any()
    final = HeiFinalOutcome.objects.create(
        enrolment=enrolment,
        outcome=outcome,
        decided_on=decided_on,
        art_facility=art_facility,
        art_started_on=art_started_on,
        recorded_by=actor.user,
    )
    if outcome in RESULTS:
        enrolment.hiv_status = outcome
        fields = ["hiv_status"]
        if outcome == HeiOutcome.POSITIVE:
            enrolment.art_status, enrolment.facility = "ARAR", art_facility
            fields += ["art_status", "facility"]
        enrolment.save(update_fields=fields)
        enrolment.household.members.filter(person=enrolment.child_id).update(hiv_status=outcome)
        _fact(
            "ovc_hiv_status",
            actor.organisation,
            enrolment,
            decided_on,
            _hivstat(enrolment),
            what="hei:outcome",
        )
    return final
