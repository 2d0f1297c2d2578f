"""Closing the sender's case of a completed transfer: the job the Celery task runs."""

from __future__ import annotations

from sharing.models import OrganisationReferral, ReferralKind, ReferralStatus
from tenants.schema import current_schema_name


def transferred_case_close(*, referral_id: int) -> str:
    """Close the sender's case of an accepted transfer as transferred, in the sender's schema
    (case_apps.cases.transfers.case_close_transferred); says what it did. A no-op once the
    transfer is completed; run anywhere but the sender's schema it refuses."""
    from case_apps.cases.transfers import case_close_transferred

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
