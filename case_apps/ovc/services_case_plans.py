"""The household's case plan: coded lines per domain (goal, gap, priority, services of the
domain's national lists) and their results."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext

from case_apps.lists.checks import CodeChecks
from case_apps.lists.data_ovc import OVC_LISTS
from case_apps.lists.data_ovc_plans import DOMAINS, OVC_PLAN_LISTS, plan_list
from case_apps.ovc.models import CasePlanItem, Enrolment, Household
from case_apps.ovc.services_common import (
    not_future,
    plausible,
    recording_enrolment,
    recording_household,
)
from tenants.actor import Actor, NotFound
from tenants.api_input import MAX_ITEMS


def plan_checks() -> CodeChecks:
    """The code checks of every OVC list, the case plan and service lists included."""
    return CodeChecks(*OVC_LISTS, *OVC_PLAN_LISTS)


def check_in_domain(
    errors: CodeChecks, field_name: str, kind: str, domain: str, code: str, required: bool = True
) -> None:
    """A code of the domain's list of this kind (``ovc_service``, ``ovc_cp_goal``...); a code
    of another domain is refused saying so."""
    if not code:
        if required:
            errors.add(field_name, gettext("This field is required."))
        return
    if domain not in DOMAINS or code in errors.labels.get(plan_list(kind, domain), {}):
        return
    if any(code in errors.labels.get(plan_list(kind, other), {}) for other in DOMAINS):
        errors.add(
            field_name,
            gettext("“%(code)s” belongs to another domain than the one chosen.") % {"code": code},
        )
    else:
        errors.add(field_name, gettext("Unknown code “%(code)s”.") % {"code": code})


@transaction.atomic
def case_plan_item_add(
    *,
    actor: Actor,
    household: Household | int,
    domain: str,
    goal: str,
    gap: str,
    services: list[str],
    responsible: str,
    due_date: date | None = None,
    priority: str = "",
    enrolment: Enrolment | int | None = None,
) -> CasePlanItem:
    """Add a line to the household's case plan (for the household or one of its children):
    the goal, gap, priority and services all of the line's domain."""
    household = recording_household(actor, household)
    if enrolment is not None:
        enrolment = recording_enrolment(actor, enrolment)
    errors = plan_checks()
    errors.check("domain", "ovc_domain", domain)
    errors.check("responsible", "ovc_responsible", responsible)
    check_in_domain(errors, "goal", "ovc_cp_goal", domain, goal)
    check_in_domain(errors, "gap", "ovc_cp_gap", domain, gap)
    check_in_domain(errors, "priority", "ovc_cp_priority", domain, priority, required=False)
    services = list(dict.fromkeys(services or []))
    if not services:
        errors.add("services", gettext("Choose at least one service."))
    elif len(services) > MAX_ITEMS:
        errors.add("services", gettext("Too many services on one line."))
    for code in services:
        check_in_domain(errors, "services", "ovc_service", domain, code)
    plausible(errors, "due_date", due_date, None)
    if enrolment is not None and enrolment.household_id != household.pk:
        errors.add("enrolment", gettext("This child is not in the household."))
    errors.raise_if_any()
    return CasePlanItem.objects.create(
        household=household,
        enrolment=enrolment,
        domain=domain,
        goal=goal,
        gap=gap,
        priority=priority,
        services=services,
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
    household: Household | int | None = None,
) -> CasePlanItem:
    """Record the result of a case plan line: achieved, or not achieved with the reason.

    ``household``, when given, is the household the caller reached the line through: a line
    of another household is not found."""
    item_id = item.pk if isinstance(item, CasePlanItem) else item
    found = CasePlanItem.objects.select_for_update().filter(pk=item_id).first()
    household_id = household.pk if isinstance(household, Household) else household
    if found is None or (household_id is not None and found.household_id != household_id):
        raise NotFound
    recording_household(actor, found.household_id)
    item = found
    errors = plan_checks()
    if completed_on is None:
        errors.add("completed_on", gettext("This field is required."))
    not_future(errors, "completed_on", completed_on)
    plausible(errors, "completed_on", completed_on, None)
    if achieved is None:
        errors.add("achieved", gettext("This field is required."))
    if achieved is False and not (result_notes or "").strip():
        errors.add("result_notes", gettext("Say why the goal was not achieved."))
    errors.raise_if_any()
    item.completed_on, item.achieved, item.result_notes = (
        completed_on,
        achieved,
        (result_notes or "").strip(),
    )
    item.save(update_fields=["completed_on", "achieved", "result_notes"])
    return item
