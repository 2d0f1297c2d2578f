"""Sharing API: referrals and transfers between organisations, sent and received (sending
one from a case and accepting one are in ``case_apps/cases/api_referrals.py``)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from sharing import (
    selectors,
    services_referrals,
)
from sharing.api_schemas import (
    CompleteIn,
    ErrorOut,
    InvalidOut,
    ReasonIn,
    ReferralDetailOut,
    ReferralOut,
)
from sharing.models import (
    OrganisationReferral,
)
from sharing.selectors_for_actor import (
    referral_received_for,
    referral_sent_for,
    referral_summary_read,
)
from tenants.actor import NotFound, actor_from_request
from tenants.api_errors import api_call, api_require
from tenants.api_input import (
    NAME_MAX_LENGTH,
    SEARCH_MAX_LENGTH,
    BoundedLimitOffsetPagination,
    RecordId,
)
from tenants.policy import Permission

router = Router(tags=["sharing"])


def referral_received_or_404(request: HttpRequest, referral_id: RecordId) -> OrganisationReferral:
    """A referral sent to the caller's organisation, as the inbox shows it (not withdrawn)."""
    api_require(request, Permission.RECEIVE_REFERRALS)
    try:
        return referral_received_for(actor_from_request(request), referral_id)
    except NotFound:
        raise HttpError(404, "No such referral sent to your organisation.") from None


def _referral_sent(request: HttpRequest, referral_id: RecordId) -> OrganisationReferral:
    api_require(request, Permission.SEND_REFERRALS)
    try:
        return referral_sent_for(actor_from_request(request), referral_id)
    except NotFound:
        raise HttpError(404, "No such referral sent by your organisation.") from None


# --- referrals between organisations ------------------------------------------------------------
@router.get(
    "/sharing/referrals/sent",
    operation_id="sharing_api_list_referrals_sent",
    response={200: list[ReferralOut], 403: ErrorOut},
    summary="Referrals and transfers your organisation sent",
)
@paginate(BoundedLimitOffsetPagination)
def list_referrals_sent(
    request: HttpRequest,
    status: str = Query("", max_length=NAME_MAX_LENGTH),
    q: str = Query("", max_length=SEARCH_MAX_LENGTH),
):
    api_require(request, Permission.SEND_REFERRALS)
    referrals = selectors.referrals_sent(
        organisation=request.organisation, search=q[:100], status=status[:16]
    )
    return referrals


@router.get(
    "/sharing/referrals/received",
    operation_id="sharing_api_list_referrals_received",
    response={200: list[ReferralOut], 403: ErrorOut},
    summary="Referrals and transfers sent to your organisation",
)
@paginate(BoundedLimitOffsetPagination)
def list_referrals_received(
    request: HttpRequest,
    status: str = Query("", max_length=NAME_MAX_LENGTH),
    q: str = Query("", max_length=SEARCH_MAX_LENGTH),
):
    """Withdrawn ones only when asked for by status."""
    api_require(request, Permission.RECEIVE_REFERRALS)
    referrals = selectors.referrals_received(
        organisation=request.organisation, search=q[:100], status=status[:16]
    ).order_by("-created_at", "-id")
    return referrals


@router.get(
    "/sharing/referrals/sent/{referral_id}",
    operation_id="sharing_api_get_referral_sent",
    response={200: ReferralDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="A referral your organisation sent, with its status and history",
)
def get_referral_sent(request: HttpRequest, referral_id: RecordId):
    return _referral_sent(request, referral_id)


@router.get(
    "/sharing/referrals/received/{referral_id}",
    operation_id="sharing_api_get_referral_received",
    response={200: ReferralDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="A referral sent to you, with its consented summary (an access-log entry)",
)
def get_referral_received(request: HttpRequest, referral_id: RecordId):
    """The summary is shown while the consent it relied on is in force; each read of it
    writes an access-log entry (referral_summary, the child's CPIMS ID), as the page does."""
    referral = referral_received_or_404(request, referral_id)
    referral.api_summary = referral_summary_read(
        actor_from_request(request),
        referral,
        purpose=f"referral #{referral.pk} from {referral.sender.slug} (API)",
        request=request,
    )
    return referral


@router.post(
    "/sharing/referrals/received/{referral_id}/decline",
    operation_id="sharing_api_decline_referral",
    response={200: ReferralOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Decline a referral sent to you (reason required)",
)
def decline_referral(request: HttpRequest, referral_id: RecordId, payload: ReasonIn):
    referral = referral_received_or_404(request, referral_id)
    declined = api_call(
        services_referrals.referral_decline,
        referral=referral,
        actor=actor_from_request(request),
        reason=payload.reason,
    )
    return declined


@router.post(
    "/sharing/referrals/sent/{referral_id}/withdraw",
    operation_id="sharing_api_withdraw_referral",
    response={200: ReferralOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Withdraw a pending referral you sent (reason required; its summary is erased)",
)
def withdraw_referral(request: HttpRequest, referral_id: RecordId, payload: ReasonIn):
    referral = _referral_sent(request, referral_id)
    withdrawn = api_call(
        services_referrals.referral_withdraw,
        referral=referral,
        actor=actor_from_request(request),
        reason=payload.reason,
    )
    return withdrawn


@router.post(
    "/sharing/referrals/received/{referral_id}/complete",
    operation_id="sharing_api_complete_referral",
    response={200: ReferralOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Mark a referral you accepted completed, with the day it was (the sender's case "
    "record sheet follows)",
)
def complete_referral(request: HttpRequest, referral_id: RecordId, payload: CompleteIn):
    referral = referral_received_or_404(request, referral_id)
    return api_call(
        services_referrals.referral_mark_completed,
        referral=referral,
        actor=actor_from_request(request),
        completed_on=payload.completed_on,
        note=payload.note,
    )
