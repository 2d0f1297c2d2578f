"""Steps of governed sharing become webhook events (sharing.events.step_recorded).

Which step tells whom:
  a referral (or transfer) sent                -> ``referral.received``, to the receiver
  a referral accepted / declined               -> ``referral.accepted`` / ``.declined``, to
                                                  the sender (a transfer accepted: also
                                                  ``transfer.accepted``)
  an agreement approved / revoked              -> ``agreement.approved`` / ``.revoked``, to
                                                  both parties
The data: the subject's id and uuid, its kind and status, the other party's workspace slug
and the day; never a name, a case reference or a reason given in words.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from sharing.models import (
    AgreementEventKind,
    DataSharingAgreement,
    OrganisationReferral,
    ReferralEventKind,
    ReferralKind,
)
from webhooks import events as ev
from webhooks.services import webhook_emit


def _occurred_on(event: Any) -> str:
    return timezone.localdate(event.occurred_at).isoformat()


def _referral(referral: OrganisationReferral, event: Any) -> None:
    if event.kind == ReferralEventKind.SENT:
        targets = [(ev.REFERRAL_RECEIVED, referral.receiver, referral.sender)]
    elif event.kind == ReferralEventKind.ACCEPTED:
        targets = [(ev.REFERRAL_ACCEPTED, referral.sender, referral.receiver)]
        if referral.kind == ReferralKind.TRANSFER:
            targets.append((ev.TRANSFER_ACCEPTED, referral.sender, referral.receiver))
    elif event.kind == ReferralEventKind.DECLINED:
        targets = [(ev.REFERRAL_DECLINED, referral.sender, referral.receiver)]
    else:
        return
    for name, organisation, other in targets:
        webhook_emit(
            event=name,
            organisation=organisation,
            data={
                "referral_id": referral.pk,
                "reference": str(referral.uuid),
                "kind": referral.kind,
                "status": referral.status,
                "organisation": other.slug,
                "occurred_on": _occurred_on(event),
            },
        )


def _agreement(agreement: DataSharingAgreement, event: Any) -> None:
    name = {
        AgreementEventKind.APPROVED: ev.AGREEMENT_APPROVED,
        AgreementEventKind.REVOKED: ev.AGREEMENT_REVOKED,
    }.get(event.kind)
    if name is None:
        return
    parties = ((agreement.requester, agreement.provider), (agreement.provider, agreement.requester))
    for organisation, other in parties:
        webhook_emit(
            event=name,
            organisation=organisation,
            data={
                "agreement_id": agreement.pk,
                "reference": str(agreement.uuid),
                "kind": "requester" if organisation == agreement.requester else "provider",
                "status": agreement.status,
                "organisation": other.slug,
                "occurred_on": _occurred_on(event),
            },
        )


def sharing_step_recorded(sender: Any, *, subject: Any, event: Any, **kwargs: Any) -> None:
    """Receiver of ``sharing.events.step_recorded``."""
    if isinstance(subject, OrganisationReferral):
        _referral(subject, event)
    elif isinstance(subject, DataSharingAgreement):
        _agreement(subject, event)
