"""The household and child pages' context for transfers (issue 18; case_apps/ovc/panels.py)."""

from __future__ import annotations

from typing import Any

from case_apps.ovc.models import Enrolment, Household
from tenants.actor import Actor


def household_context(actor: Actor, household: Household) -> dict[str, Any]:
    return {}


def enrolment_context(actor: Actor, enrolment: Enrolment) -> dict[str, Any]:
    return {}
