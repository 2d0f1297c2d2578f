"""Sharing API on the platform site (DCS headquarters): the approval queue and decisions."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from sharing import (
    selectors,
    services,
)
from sharing.api_schemas import (
    ConsoleAgreementOut,
    ErrorOut,
    InvalidOut,
    ReasonIn,
)
from sharing.models import (
    DataSharingAgreement,
)
from sharing.selectors_for_actor import (
    agreement_for,
)
from tenants.actor import NotFound, actor_from_request
from tenants.api_errors import api_call
from tenants.api_input import (
    SEARCH_MAX_LENGTH,
    BoundedLimitOffsetPagination,
    RecordId,
)
from tenants.policy import Permission, may

platform_router = Router(tags=["sharing"], auth=django_auth)


# --- DCS headquarters (platform API): the approval queue ----------------------------------------
def _require_approver(request: HttpRequest) -> None:
    if getattr(request, "organisation", None) is not None or not may(
        request.user, Permission.APPROVE_SHARING
    ):
        raise HttpError(403, "DCS headquarters' sharing approvers only.")


def _console_agreement(request: HttpRequest, agreement_id: RecordId) -> DataSharingAgreement:
    _require_approver(request)
    try:
        return agreement_for(actor_from_request(request), agreement_id)
    except NotFound:
        raise HttpError(404, "No such agreement.") from None


@platform_router.get(
    "/sharing/approval-queue",
    operation_id="sharing_api_approval_queue",
    response={200: list[ConsoleAgreementOut], 403: ErrorOut},
    summary="Agreements accepted by the provider, waiting for DCS approval (oldest first)",
)
@paginate(BoundedLimitOffsetPagination)
def approval_queue(request: HttpRequest, q: str = Query("", max_length=SEARCH_MAX_LENGTH)):
    _require_approver(request)
    return selectors.approval_queue(search=q[:100])


@platform_router.get(
    "/sharing/agreements/{agreement_id}",
    operation_id="sharing_api_console_agreement",
    response={200: ConsoleAgreementOut, 403: ErrorOut, 404: ErrorOut},
    summary="One agreement with its history",
)
def console_agreement(request: HttpRequest, agreement_id: RecordId):
    return _console_agreement(request, agreement_id)


@platform_router.post(
    "/sharing/agreements/{agreement_id}/approve",
    operation_id="sharing_api_approve_agreement",
    response={200: ConsoleAgreementOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Approve an accepted request (in force from its start date)",
)
def approve_agreement(request: HttpRequest, agreement_id: RecordId, payload: ReasonIn):
    agreement = _console_agreement(request, agreement_id)
    return api_call(
        services.agreement_approve,
        agreement=agreement,
        actor=actor_from_request(request),
        reason=payload.reason,
    )


@platform_router.post(
    "/sharing/agreements/{agreement_id}/reject",
    operation_id="sharing_api_reject_agreement",
    response={200: ConsoleAgreementOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Reject an accepted request (reason required)",
)
def reject_agreement(request: HttpRequest, agreement_id: RecordId, payload: ReasonIn):
    agreement = _console_agreement(request, agreement_id)
    return api_call(
        services.agreement_reject,
        agreement=agreement,
        actor=actor_from_request(request),
        reason=payload.reason,
    )
