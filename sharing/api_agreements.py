"""Sharing API: your organisation's data sharing agreements (request, accept, decline, revoke)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from shared_registry.selectors import person_get_by_cpims_id
from sharing import (
    selectors,
    services,
)
from sharing.api_schemas import (
    AgreementDetailOut,
    AgreementIn,
    AgreementOut,
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
from tenants.api_errors import api_call, api_require
from tenants.api_input import (
    NAME_MAX_LENGTH,
    SEARCH_MAX_LENGTH,
    BoundedLimitOffsetPagination,
    RecordId,
)
from tenants.client_ids import was_replayed
from tenants.policy import Permission

router = Router(tags=["sharing"])


def _agreement(request: HttpRequest, agreement_id: RecordId) -> DataSharingAgreement:
    api_require(request, Permission.MANAGE_SHARING)
    try:
        return agreement_for(actor_from_request(request), agreement_id)
    except NotFound:
        raise HttpError(404, "No such agreement of your organisation.") from None


# --- agreements ---------------------------------------------------------------------------------
@router.get(
    "/sharing/agreements",
    operation_id="sharing_api_list_agreements",
    response={200: list[AgreementOut], 403: ErrorOut},
    summary="Your organisation's data sharing agreements",
)
@paginate(BoundedLimitOffsetPagination)
def list_agreements(
    request: HttpRequest,
    status: str = Query("", max_length=NAME_MAX_LENGTH),
    direction: str = Query("", max_length=NAME_MAX_LENGTH),
    q: str = Query("", max_length=SEARCH_MAX_LENGTH),
):
    """Those your organisation requested (outgoing) and those asked of it (incoming)."""
    api_require(request, Permission.MANAGE_SHARING)
    agreements = selectors.agreements_of_organisation(
        organisation=request.organisation,
        direction=direction[:16],
        status=status[:16],
        search=q[:100],
    ).order_by("-created_at", "-id")
    return agreements


@router.get(
    "/sharing/agreements/{agreement_id}",
    operation_id="sharing_api_get_agreement",
    response={200: AgreementDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="One agreement with its history",
)
def get_agreement(request: HttpRequest, agreement_id: RecordId):
    return _agreement(request, agreement_id)


@router.post(
    "/sharing/agreements",
    operation_id="sharing_api_request_agreement",
    response={201: AgreementDetailOut, 200: AgreementDetailOut, 403: ErrorOut, 422: InvalidOut},
    summary="Request data from another organisation (200: the same uuid and content again)",
)
def request_agreement(request: HttpRequest, payload: AgreementIn):
    api_require(request, Permission.MANAGE_SHARING)
    provider = (
        selectors.providers_for(requester=request.organisation)
        .filter(slug=payload.provider.strip().lower())
        .first()
    )
    unknown = [c for c in payload.person_cpims_ids if person_get_by_cpims_id(c) is None]
    if unknown:
        raise HttpError(422, f"person_cpims_ids: unknown CPIMS IDs: {', '.join(unknown[:20])}")
    agreement = api_call(
        services.agreement_request,
        requester=request.organisation,
        provider=provider,
        actor=actor_from_request(request),
        scope=payload.scope,
        persons_mode=payload.persons_mode,
        person_ids=[person_get_by_cpims_id(c).pk for c in payload.person_cpims_ids],
        purpose=payload.purpose,
        legal_basis=payload.legal_basis,
        start_date=payload.start_date,
        end_date=payload.end_date,
        consent_based=payload.consent_based,
        uuid=payload.uuid,
    )
    return Status(200 if was_replayed(agreement) else 201, agreement)


def _decide(request: HttpRequest, agreement_id: RecordId, service, reason: str):
    agreement = _agreement(request, agreement_id)
    agreement = api_call(
        service, agreement=agreement, actor=actor_from_request(request), reason=reason
    )
    return agreement


@router.post(
    "/sharing/agreements/{agreement_id}/accept",
    operation_id="sharing_api_accept_agreement",
    response={200: AgreementDetailOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Accept a request as the provider (it goes to DCS headquarters)",
)
def accept_agreement(request: HttpRequest, agreement_id: RecordId, payload: ReasonIn):
    return _decide(request, agreement_id, services.agreement_accept, payload.reason)


@router.post(
    "/sharing/agreements/{agreement_id}/decline",
    operation_id="sharing_api_decline_agreement",
    response={200: AgreementDetailOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Decline a request as the provider (reason required)",
)
def decline_agreement(request: HttpRequest, agreement_id: RecordId, payload: ReasonIn):
    return _decide(request, agreement_id, services.agreement_decline, payload.reason)


@router.post(
    "/sharing/agreements/{agreement_id}/revoke",
    operation_id="sharing_api_revoke_agreement",
    response={200: AgreementDetailOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Revoke an agreement or withdraw a pending request (reason required)",
)
def revoke_agreement(request: HttpRequest, agreement_id: RecordId, payload: ReasonIn):
    return _decide(request, agreement_id, services.agreement_revoke, payload.reason)
