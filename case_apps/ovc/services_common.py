"""What every OVC write shares: the actor's permission, fetching the household or child as
the actor, the code checks and the date rules."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext

from case_apps.lists.checks import CodeChecks
from case_apps.lists.data_ovc import OVC_LISTS
from case_apps.ovc import date_rules, selectors
from case_apps.ovc.models import Enrolment, Household
from shared_registry.models import Person
from shared_registry.plausibility import implausible_date
from tenants.actor import Actor
from tenants.policy import Permission


def recording_household(actor: Actor, household: Household | int) -> Household:
    """The household a write is about, fetched as the actor (``NotFound`` when missing or
    out of the actor's caseload), once the policy lets the actor record (``Forbidden``)."""
    actor.require(Permission.RECORD_CASES)
    return selectors.household_get(actor=actor, household_id=household)


def recording_enrolment(actor: Actor, enrolment: Enrolment | int) -> Enrolment:
    """The enrolled child a write is about, fetched as the actor (see ``recording_household``)."""
    actor.require(Permission.RECORD_CASES)
    return selectors.enrolment_get(actor=actor, enrolment_id=enrolment)


def checks() -> CodeChecks:
    """The code checks of every OVC list (one cached read of the national lists)."""
    return CodeChecks(*OVC_LISTS)


def today() -> date:
    """The day of entry (``date_rules.entry_day``): today unless history is replayed."""
    return date_rules.entry_day()


def not_future(errors: CodeChecks, field_name: str, value: date | None) -> None:
    if value and value > today():
        errors.add(field_name, gettext("This date cannot be in the future."))


def within_days_back(
    errors: CodeChecks, field_name: str, value: date | None, max_days_back: int
) -> None:
    """The back-dating rule of ``date_rules``: refused when entered too long after."""
    if problem := date_rules.too_far_back(value, max_days_back):
        errors.add(field_name, problem)


def plausible(
    errors: CodeChecks, field_name: str, value: date | None, child: Person | None
) -> None:
    """No date before 1990, none before the child's birth (shared_registry/plausibility.py,
    the rule case records follow too)."""
    if value and (problem := implausible_date(value, child)):
        errors.add(field_name, problem)


def child_of(enrolment: Enrolment) -> Person:
    """The enrolled child: the one read with the enrolment, else read now."""
    if Enrolment.child.is_cached(enrolment):
        return enrolment.child
    return Person.objects.get(pk=enrolment.child_id)
