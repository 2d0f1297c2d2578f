"""The household and child pages' context for transfers (issue 18; case_apps/ovc/panels.py)."""

from __future__ import annotations

from typing import Any

from case_apps.ovc import selectors_transfers
from case_apps.ovc.models import Enrolment, Household
from tenants.actor import Actor


def household_context(actor: Actor, household: Household) -> dict[str, Any]:
    return {}


def enrolment_context(actor: Actor, enrolment: Enrolment) -> dict[str, Any]:
    """The transfer an exited child was sent with: its status, the day of the answer and a
    decline's reason (nothing of the receiver's records)."""
    if enrolment.is_active:
        return {"ovc_transfer": None}
    return {
        "ovc_transfer": selectors_transfers.transfer_of_enrolment(actor=actor, enrolment=enrolment)
    }
