"""The household and child pages' context for transfers (issue 18; case_apps/ovc/panels.py)."""

from __future__ import annotations

from typing import Any

from case_apps.ovc import selectors_transfers
from case_apps.ovc.models import Enrolment, Household
from tenants.actor import Actor


def household_context(actor: Actor, household: Household) -> dict[str, Any]:
    return {}


def enrolment_context(actor: Actor, enrolment: Enrolment) -> dict[str, Any]:
    """The transfer an exited child was sent with (its status, the day of the answer and a
    decline's reason: nothing of the receiver's records), or the one an enrolment came in
    with (the sender's name and exit date: nothing of the sender's records)."""
    sent = None
    if not enrolment.is_active:
        sent = selectors_transfers.transfer_of_enrolment(actor=actor, enrolment=enrolment)
    received = selectors_transfers.transfer_into(actor=actor, enrolment=enrolment)
    return {"ovc_transfer": sent, "ovc_transfer_in": received}
