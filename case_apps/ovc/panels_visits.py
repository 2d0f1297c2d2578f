"""The household page's context for household visits (issue 21; case_apps/ovc/panels.py)."""

from __future__ import annotations

from typing import Any

from case_apps.ovc.models import Enrolment, Household
from case_apps.ovc.selectors_visits import household_visits
from tenants.actor import Actor

SHOWN = 20  # the latest visits on the household page


def household_context(actor: Actor, household: Household) -> dict[str, Any]:
    visits = household_visits(household)
    return {"visits": list(visits[:SHOWN]), "visits_total": visits.count()}


def enrolment_context(actor: Actor, enrolment: Enrolment) -> dict[str, Any]:
    return {}
