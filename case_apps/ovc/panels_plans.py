"""The household and child pages' context for plans (issue 18; case_apps/ovc/panels.py):
the case plan's progress per domain and the labels of the coded plan and service lists."""

from __future__ import annotations

from typing import Any

from case_apps.lists.data_ovc_plans import DOMAINS, PLAN_KINDS, plan_list
from case_apps.lists.selectors import list_labels_bulk
from case_apps.ovc.models import Enrolment, Household
from case_apps.ovc.selectors_plans import case_plan_progress
from case_apps.ovc.views_common import _Labels
from tenants.actor import Actor

LABEL_NAMES = {
    "ovc_cp_goal": "goal",
    "ovc_cp_gap": "gap",
    "ovc_cp_priority": "priority",
    "ovc_service": "service",
}


def plan_labels() -> _Labels:
    """code -> label of the goals, gaps, priorities and services of every domain, for the
    ``label`` tag: ``{% label plan_labels "service" code %}`` (inactive codes too)."""
    lists = list_labels_bulk(plan_list(kind, d) for kind in PLAN_KINDS for d in DOMAINS)
    found = _Labels()
    for kind in PLAN_KINDS:
        merged: dict[str, str] = {}
        for domain in DOMAINS:
            merged.update(lists.get(plan_list(kind, domain), {}))
        found[LABEL_NAMES[kind]] = merged
    return found


def household_context(actor: Actor, household: Household) -> dict[str, Any]:
    progress = case_plan_progress(household)
    return {
        "plan_progress": progress,
        "plan_achieved": sum(p.achieved for p in progress),
        "plan_total": sum(p.items for p in progress),
        "plan_labels": plan_labels(),
    }


def enrolment_context(actor: Actor, enrolment: Enrolment) -> dict[str, Any]:
    return {"plan_labels": plan_labels()}
