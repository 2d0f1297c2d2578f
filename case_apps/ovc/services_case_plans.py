"""The household's case plan: lines per domain and their results."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext

from case_apps.ovc.models import CasePlanItem, Enrolment, Household
from case_apps.ovc.services_common import (
    checks,
    not_future,
    recording_enrolment,
    recording_household,
)
from tenants.actor import Actor, NotFound


@transaction.atomic
def case_plan_item_add(
    *,
    actor: Actor,
    household: Household | int,
    domain: str,
    need: str,
    goal: str,
    services: str,
    responsible: str,
    due_date: date,
    enrolment: Enrolment | int | None = None,
) -> CasePlanItem:
    """Add a line to the household's case plan (for the household or one of its children)."""
    household = recording_household(actor, household)
    if enrolment is not None:
        enrolment = recording_enrolment(actor, enrolment)
    errors = checks()
    errors.check("domain", "ovc_domain", domain)
    errors.check("responsible", "ovc_responsible", responsible)
    for name, value in (("need", need), ("goal", goal), ("services", services)):
        if not (value or "").strip():
            errors.add(name, gettext("This field is required."))
    if due_date is None:
        errors.add("due_date", gettext("This field is required."))
    if enrolment is not None and enrolment.household_id != household.pk:
        errors.add("enrolment", gettext("This child is not in the household."))
    errors.raise_if_any()
    return CasePlanItem.objects.create(
        household=household,
        enrolment=enrolment,
        domain=domain,
        need=need.strip(),
        goal=goal.strip(),
        services=services.strip(),
        responsible=responsible,
        due_date=due_date,
        recorded_by=actor.user,
    )


@transaction.atomic
def case_plan_item_complete(
    *,
    actor: Actor,
    item: CasePlanItem | int,
    completed_on: date,
    achieved: bool,
    result_notes: str = "",
) -> CasePlanItem:
    """Record the result of a case plan line: achieved, or not achieved with the reason."""
    item_id = item.pk if isinstance(item, CasePlanItem) else item
    found = CasePlanItem.objects.filter(pk=item_id).first()
    if found is None:
        raise NotFound
    recording_household(actor, found.household_id)
    item = found
    errors = checks()
    if completed_on is None:
        errors.add("completed_on", gettext("This field is required."))
    not_future(errors, "completed_on", completed_on)
    if not achieved and not result_notes.strip():
        errors.add("result_notes", gettext("Say why the goal was not achieved."))
    errors.raise_if_any()
    item.completed_on, item.achieved, item.result_notes = completed_on, achieved, result_notes
    item.save(update_fields=["completed_on", "achieved", "result_notes"])
    return item
