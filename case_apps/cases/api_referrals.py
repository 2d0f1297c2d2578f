"""Referral API operations that need a case (django-ninja): sending a referral or transfer
from a case, and accepting one by opening the receiver's own case.

They live in the case app because sharing knows no case app (import contract); the other
sharing operations are in ``sharing/api.py`` and the modules it assembles. Same services
and policy as the screens (case_apps/cases/views_transfers.py).
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from case_apps.cases import selectors, transfers
from case_apps.cases.api import _case, _run
from case_apps.cases.models import CaseRecord
from sharing import selectors as sharing_selectors
from sharing.api_referrals import referral_received_or_404
from sharing.api_schemas import ErrorOut, InvalidOut, ReferralDetailOut, ReferralOut
from sharing.models import OrganisationReferral
from tenants.actor import actor_from_request
from tenants.api_errors import api_call
from tenants.api_input import ClientUuid, Code, Codes, RecordId, Scope, Slug, model_text
from tenants.client_ids import was_replayed
from tenants.policy import Permission

router = Router(tags=["sharing"])


class ReferralSendIn(Schema):
    receiver: Slug  # the receiving organisation's slug
    kind: str = model_text(OrganisationReferral, "kind")  # referral or transfer
    reason: str = model_text(OrganisationReferral, "reason", "")  # a note; a transfer: why
    consent_id: RecordId  # a consent in force your organisation recorded for this child
    services: Codes = []
    # a referral is also the case record sheet's referral (one record): its referral_reason
    # codes (one or more), referral_actor and referral_destination codes
    reasons: Codes = []
    actor: Code = ""
    destination: Code = ""
    share_phone: bool = False  # the receiver sees the sending officer's work phone
    fields: Scope | None = None  # {record kind: [fields]}; None: all consented
    uuid: ClientUuid | None = Field(
        None,
        description="The client's own id for this referral: a repeat with the same uuid and "
        "content answers 200 with it and writes nothing; the same uuid with other content is "
        "a 422 naming uuid.",
    )


class AcceptIn(Schema):
    category_code: Code
    risk_level: str = model_text(CaseRecord, "risk_level")
    notes: str = model_text(CaseRecord, "narrative", "")


class SheetReferralOut(Schema):
    """A referral of the case record sheet; one to an organisation on the platform names
    its inter-organisation referral, and its status follows the receiver."""

    id: int
    actor: str
    destination: str
    destination_name: str
    reasons: list[str]
    referred_on: date
    status: str  # pending, accepted, declined, withdrawn, completed, not_completed
    outcome: str
    completed_on: date | None
    organisation_referral_id: int | None


class AcceptedOut(ReferralOut):
    receiver_case_id: int


@router.post(
    "/cases/{case_id}/transfers",
    response={
        201: ReferralDetailOut,
        200: ReferralDetailOut,
        403: ErrorOut,
        404: ErrorOut,
        422: InvalidOut,
    },
    summary="Refer or transfer a case's child to another organisation (200: the same uuid again)",
)
def send_referral(request: HttpRequest, case_id: RecordId, payload: ReferralSendIn):
    """The summary carries only the chosen fields the consent covers, read now in your own
    workspace; the receiver is told (the message names no child). A referral (not a
    transfer) also writes the case record sheet's referral, linked to it: its status then
    follows the receiver (``GET /cases/{case_id}/referrals``)."""
    case = _case(request, case_id, Permission.SEND_REFERRALS)
    receiver = (
        sharing_selectors.receiving_organisations(sender=request.organisation)
        .filter(slug=payload.receiver.strip().lower())
        .first()
    )
    consent = (
        sharing_selectors.consents_usable(
            organisation=request.organisation, person_id=case.child_id
        )
        .filter(pk=payload.consent_id)
        .first()
    )
    referral = api_call(
        transfers.referral_send_from_case,
        actor=actor_from_request(request),
        case=case,
        receiver=receiver,
        kind=payload.kind,
        reason=payload.reason,
        services=payload.services,
        consent=consent,
        fields=payload.fields,
        uuid=payload.uuid,
        reasons=payload.reasons,
        actor_type=payload.actor,
        destination=payload.destination,
        share_phone=payload.share_phone,
    )
    return Status(200 if was_replayed(referral) else 201, referral)


@router.post(
    "/sharing/referrals/received/{referral_id}/accept",
    response={201: AcceptedOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Accept a referral sent to you: opens your own case for the same child",
)
def accept_referral(request: HttpRequest, referral_id: RecordId, payload: AcceptIn):
    referral = referral_received_or_404(request, referral_id)
    api_call(
        transfers.referral_accept_and_open_case,
        organisation=request.organisation,
        referral=referral,
        actor=actor_from_request(request),
        **payload.dict(),
    )
    return Status(
        201,
        sharing_selectors.referral_received(
            organisation=request.organisation, referral_id=referral.pk
        ),
    )


@router.get(
    "/cases/{case_id}/referrals/{referral_id}",
    response={200: SheetReferralOut, 403: ErrorOut, 404: ErrorOut},
    summary="A referral of the case record sheet, with its status (following the receiver "
    "when it went to an organisation on the platform)",
)
def get_sheet_referral(request: HttpRequest, case_id: RecordId, referral_id: RecordId):
    return _run(
        selectors.referral_get,
        not_found="No such referral on a case of yours.",
        actor=actor_from_request(request),
        case_id=case_id,
        referral_id=referral_id,
        permission=Permission.VIEW_CASES,
    )
