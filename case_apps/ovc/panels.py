"""What the household and child pages show beyond their own fields: each subject adds its
panel's context here (issue 18), so the pages' views stay one function each."""

from __future__ import annotations

from typing import Any

from case_apps.ovc import (
    panels_form1b,
    panels_graduation,
    panels_hiv,
    panels_plans,
    panels_transfers,
    panels_visits,
)
from case_apps.ovc.models import Enrolment, Household
from tenants.actor import Actor

SUBJECTS = (
    panels_plans,
    panels_hiv,
    panels_graduation,
    panels_transfers,
    panels_form1b,
    panels_visits,
)


def household_context(actor: Actor, household: Household) -> dict[str, Any]:
    """The household page's panels (case plan, caregivers' HIV, graduation pathway)."""
    context: dict[str, Any] = {}
    for subject in SUBJECTS:
        context.update(subject.household_context(actor, household))
    return context


def enrolment_context(actor: Actor, enrolment: Enrolment) -> dict[str, Any]:
    """The child page's panels (services, HIV care, transfer)."""
    context: dict[str, Any] = {}
    for subject in SUBJECTS:
        context.update(subject.enrolment_context(actor, enrolment))
    return context
