"""The household and child pages' context for graduation (issue 18; case_apps/ovc/panels.py)."""

from __future__ import annotations

from typing import Any

from case_apps.ovc import selectors_graduation
from case_apps.ovc.models import Enrolment, Household
from tenants.actor import Actor


def household_context(actor: Actor, household: Household) -> dict[str, Any]:
    """The latest CPARA against the latest benchmark monitoring, and the scores over time."""
    return selectors_graduation.graduation_panel(household=household)


def enrolment_context(actor: Actor, enrolment: Enrolment) -> dict[str, Any]:
    return {}
