"""Household visits (issue 21; case_apps/ovc/models_visits.py): the checks of a visit and
its record. A visit is dated by the day it took place, within the back-dating window of the
programme's other events (one reporting quarter)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext

from case_apps.ovc.date_rules import EVENT_MAX_DAYS_BACK
from case_apps.ovc.models import Enrolment, EnrolmentStatus, Household
from case_apps.ovc.models_visits import HouseholdVisit, VisitOutcome, VisitPurpose
from case_apps.ovc.services_common import (
    checks,
    not_future,
    plausible,
    recording_household,
    within_days_back,
)
from tenants.actor import Actor
from tenants.limits import NOTES_MAX_LENGTH

NEXT_VISIT_MAX_DAYS = 365


def household_visit_checks(
    *,
    household: Household,
    visited_on: date | None,
    outcome: str,
    purposes: Iterable[str],
    children_seen: Iterable[int],
    caregiver_present: bool = False,
    observations: str = "",
    next_visit_on: date | None = None,
) -> list[Enrolment]:
    """The refusals of a visit to a household already fetched as the recording actor,
    naming the fields (nothing is written); the children seen otherwise."""
    errors = checks()
    if visited_on is None:
        errors.add("visited_on", gettext("This field is required."))
    not_future(errors, "visited_on", visited_on)
    within_days_back(errors, "visited_on", visited_on, EVENT_MAX_DAYS_BACK)
    plausible(errors, "visited_on", visited_on, None)
    if outcome not in VisitOutcome.values:
        errors.add("outcome", gettext("Choose what happened at the visit."))
    purposes = list(purposes)
    if set(purposes) - set(VisitPurpose.values):
        errors.add("purposes", gettext("Choose the purposes from the list."))
    elif outcome == VisitOutcome.MET and not purposes:
        errors.add("purposes", gettext("Say why the household was visited."))
    wanted = set(children_seen)
    seen = list(
        Enrolment.objects.filter(
            household=household, status=EnrolmentStatus.ACTIVE, pk__in=wanted
        ).select_related("child")
    )
    if len(seen) != len(wanted):
        errors.add("children_seen", gettext("Only children enrolled in the household."))
    if outcome != VisitOutcome.MET and (wanted or caregiver_present):
        errors.add(
            "children_seen", gettext("No one is seen at a visit where the household was not met.")
        )
    if len(observations or "") > NOTES_MAX_LENGTH:
        errors.add("observations", gettext("Keep the observations shorter."))
    if next_visit_on is not None and visited_on is not None:
        if next_visit_on <= visited_on:
            errors.add("next_visit_on", gettext("The next visit comes after this one."))
        elif next_visit_on > visited_on + timedelta(days=NEXT_VISIT_MAX_DAYS):
            errors.add("next_visit_on", gettext("Plan the next visit within a year."))
    errors.raise_if_any()
    return seen


@transaction.atomic
def household_visit_record(
    *,
    actor: Actor,
    household: Household | int,
    visited_on: date,
    outcome: str,
    purposes: Iterable[str] = (),
    children_seen: Iterable[int] = (),
    caregiver_present: bool = False,
    observations: str = "",
    next_visit_on: date | None = None,
) -> HouseholdVisit:
    """Record a visit to a household, dated by the day it took place."""
    household = recording_household(actor, household)
    purposes = list(dict.fromkeys(purposes))
    seen = household_visit_checks(
        household=household,
        visited_on=visited_on,
        outcome=outcome,
        purposes=purposes,
        children_seen=children_seen,
        caregiver_present=caregiver_present,
        observations=observations,
        next_visit_on=next_visit_on,
    )
    visit = HouseholdVisit.objects.create(
        household=household,
        visited_on=visited_on,
        outcome=outcome,
        purposes=purposes,
        caregiver_present=caregiver_present,
        observations=observations,
        next_visit_on=next_visit_on,
        visited_by=actor.user,
    )
    visit.children_seen.set(seen)
    return visit
