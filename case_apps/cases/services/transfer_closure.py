"""The sender's side of referrals and transfers between organisations, run by Celery tasks
in the sender's schema: closing the case of a completed transfer, and bringing the case
record sheet's row of a referral up to date with what its receiver did."""

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


def organisation_referral_follow(*, referral_id: int) -> str:
    """Bring the sender's case record sheet up to date with the referral ``referral_id``
    (case_apps.cases.services.referrals.referral_follow_receiver), in the sender's schema;
    says what it did. Run anywhere but the sender's schema it refuses."""
    from case_apps.cases.services.referrals import referral_follow_receiver

    referral = (
        OrganisationReferral.objects.select_related("sender", "receiver", "created_by")
        .filter(pk=referral_id, kind=ReferralKind.REFERRAL)
        .first()
    )
    if referral is None:
        return "nothing to do"
    if current_schema_name() != referral.sender.schema_name:
        raise RuntimeError(f"follow_organisation_referral #{referral_id} ran outside the sender")
    row = referral_follow_receiver(organisation_referral=referral)
    return f"sheet: {row.status}" if row is not None else "no sheet row"
