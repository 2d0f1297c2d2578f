"""Agreements and referrals fetched as an actor: the screens and the API ask these, so each
rule (which agreements an organisation sees, a withdrawn referral is gone, the summary only
while the consent is in force, and every read of it logged) is written once.

Missing and not visible alike answer ``NotFound``: the caller learns nothing more.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from audit.services import access_record
from sharing import selectors
from sharing.models import DataSharingAgreement, OrganisationReferral, ReferralStatus
from tenants.actor import Actor, NotFound
from tenants.policy import Permission


def agreement_for(actor: Actor, agreement_id: int) -> DataSharingAgreement:
    """In a workspace: an agreement of the actor's organisation (either side), for those who
    manage its sharing. On the platform site: any agreement, for DCS sharing approvers."""
    if actor.organisation is None:
        agreement = (
            selectors.agreement_get(agreement_id) if actor.may(Permission.APPROVE_SHARING) else None
        )
    elif actor.may(Permission.MANAGE_SHARING):
        agreement = selectors.agreement_of_organisation(
            organisation=actor.organisation, agreement_id=agreement_id
        )
    else:
        agreement = None
    if agreement is None:
        raise NotFound("No such agreement.")
    return agreement


def referral_received_for(actor: Actor, referral_id: int) -> OrganisationReferral:
    """A referral sent to the actor's organisation, as the inbox shows it: a withdrawn one is
    gone (its summary was erased) and answers ``NotFound`` like one that never existed."""
    referral = None
    if actor.organisation is not None and actor.may(Permission.RECEIVE_REFERRALS):
        referral = selectors.referral_received(
            organisation=actor.organisation, referral_id=referral_id
        )
    if referral is None or referral.status == ReferralStatus.WITHDRAWN:
        raise NotFound("No such referral sent to your organisation.")
    return referral


def referral_sent_for(
    actor: Actor, referral_id: int, *, case_id: int | None = None
) -> OrganisationReferral:
    """A referral the actor's organisation sent (from the case ``case_id``, when given)."""
    referral = None
    if actor.organisation is not None and actor.may(Permission.SEND_REFERRALS):
        referral = selectors.referral_sent(
            organisation=actor.organisation, referral_id=referral_id, case_id=case_id
        )
    if referral is None:
        raise NotFound("No such referral sent by your organisation.")
    return referral


def referral_summary_read(
    actor: Actor,
    referral: OrganisationReferral,
    *,
    purpose: str,
    request: HttpRequest | None = None,
) -> list[dict[str, Any]]:
    """The consented summary the receiver reads, one part per record kind (``record_kind``,
    ``fields``, ``rows``): nothing while the consent it relied on is not in force (or once it
    was withdrawn and erased). Each read that shows something writes an access-log entry
    (referral_summary, the child's CPIMS ID) in the receiver's log."""
    if actor.organisation is None or referral.receiver_id != actor.organisation.pk:
        raise NotFound("No such referral sent to your organisation.")
    if not referral.consent.in_force_on(timezone.localdate()) or not referral.summary:
        return []
    access_record(
        actor=actor.user,
        record_kind="referral_summary",
        record_id=referral.person.cpims_id,
        purpose=purpose,
        membership=actor.membership,
        request=request,
    )
    return [
        {"record_kind": kind, "fields": part.get("fields", []), "rows": part.get("rows", [])}
        for kind, part in referral.summary.items()
    ]
