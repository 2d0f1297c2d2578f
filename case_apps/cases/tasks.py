"""Celery tasks of case management: thin wrappers over the services."""

from __future__ import annotations

from celery import shared_task

from case_apps.cases.transfers import case_close_transferred
from sharing.models import OrganisationReferral, ReferralKind, ReferralStatus
from tenants.schema import current_schema_name


@shared_task(
    name="cases.close_transferred_case",
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=8,
)
def close_transferred_case(referral_id: int) -> str:
    """Close the sender's case of an accepted transfer as transferred. Sent with the sender's
    schema in its headers (case_apps.cases.transfers.schedule_transfer_closure), so it runs
    there; retried on failure; a no-op once the transfer is completed."""
    referral = (
        OrganisationReferral.objects.select_related("sender", "receiver", "created_by")
        .filter(pk=referral_id, kind=ReferralKind.TRANSFER)
        .first()
    )
    if referral is None or referral.status != ReferralStatus.ACCEPTED:
        return "nothing to do"
    if current_schema_name() != referral.sender.schema_name:
        raise RuntimeError(f"close_transferred_case #{referral_id} ran outside the sender")
    case_close_transferred(organisation=referral.sender, referral=referral)
    return "closed"
