"""Sharing API: access requests drafted by case workers from a registry search result, and
their administrators' review (sharing/services_access_drafts.py). The same services,
selectors and policy as the screens."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from shared_registry.selectors import person_get_by_cpims_id
from sharing import selectors, services
from sharing.api_schemas import ErrorOut, InvalidOut, ReasonIn
from sharing.models import DataSharingAgreement
from sharing.selectors_access_drafts import access_drafts_waiting, access_requests_drafted_by
from sharing.selectors_for_actor import agreement_for
from sharing.services_access_drafts import access_draft_discard, access_request_draft
from tenants.actor import Forbidden, NotFound, actor_from_request
from tenants.api_errors import NOT_ALLOWED, api_call, api_require
from tenants.api_input import CpimsId, RecordId, Scope, Slug, model_text
from tenants.policy import Permission

router = Router(tags=["sharing"])


class AccessDraftIn(Schema):
    provider: Slug  # the organisation you think holds the records (its slug)
    person_cpims_id: CpimsId  # the child of the registry search result
    purpose: str = model_text(DataSharingAgreement, "purpose")
    legal_basis: str = model_text(DataSharingAgreement, "legal_basis")
    scope: Scope | None = None  # {record kind: [fields]}; None: the smallest scope


class AccessRequestOut(Schema):
    id: int
    provider: str
    status: str
    scope: dict[str, list[str]]
    purpose: str
    drafted_by: str
    created_at: datetime.datetime
    last_step: str
    last_reason: str

    @staticmethod
    def resolve_provider(agreement: DataSharingAgreement) -> str:
        return agreement.provider.slug

    @staticmethod
    def resolve_drafted_by(agreement: DataSharingAgreement) -> str:
        return agreement.created_by.full_name or agreement.created_by.email

    @staticmethod
    def resolve_last_step(agreement: DataSharingAgreement) -> str:
        last = agreement.events.order_by("-occurred_at", "-id").first()
        return last.kind if last else ""

    @staticmethod
    def resolve_last_reason(agreement: DataSharingAgreement) -> str:
        last = agreement.events.order_by("-occurred_at", "-id").first()
        return last.reason if last else ""


@router.post(
    "/sharing/access-requests",
    response={201: AccessRequestOut, 403: ErrorOut, 422: InvalidOut},
    summary="Draft a request for access to a child's records (your administrator submits it)",
)
def draft_access_request(request: HttpRequest, payload: AccessDraftIn):
    api_require(request, Permission.DRAFT_ACCESS_REQUESTS)
    provider = (
        selectors.providers_for(requester=request.organisation)
        .filter(slug=payload.provider.strip().lower())
        .first()
    )
    person = person_get_by_cpims_id(payload.person_cpims_id)
    if person is None:
        raise HttpError(422, "person_cpims_id: unknown CPIMS ID.")
    draft = api_call(
        access_request_draft,
        actor=actor_from_request(request),
        provider=provider,
        person_id=person.pk,
        purpose=payload.purpose,
        legal_basis=payload.legal_basis,
        scope=payload.scope,
    )
    return Status(201, draft)


@router.get(
    "/sharing/access-requests",
    response={200: list[AccessRequestOut], 403: ErrorOut},
    summary="The access requests you drafted, with where each stands",
)
def my_access_requests(request: HttpRequest):
    try:
        return list(access_requests_drafted_by(actor=actor_from_request(request)))
    except Forbidden:
        raise HttpError(403, NOT_ALLOWED) from None


@router.get(
    "/sharing/access-requests/drafts",
    response={200: list[AccessRequestOut], 403: ErrorOut},
    summary="Drafts of your members waiting for you to submit or discard them (administrators)",
)
def drafts_waiting(request: HttpRequest):
    api_require(request, Permission.MANAGE_SHARING)
    return list(access_drafts_waiting(organisation=request.organisation).prefetch_related("events"))


def _draft(request: HttpRequest, agreement_id: int) -> DataSharingAgreement:
    api_require(request, Permission.MANAGE_SHARING)
    try:
        agreement = agreement_for(actor_from_request(request), agreement_id)
    except NotFound:
        raise HttpError(404, "No such draft of your organisation.") from None
    if agreement.requester_id != request.organisation.pk:
        raise HttpError(404, "No such draft of your organisation.")
    return agreement


@router.post(
    "/sharing/access-requests/{agreement_id}/submit",
    response={200: AccessRequestOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Submit a member's draft to the organisation holding the records",
)
def submit_draft(request: HttpRequest, agreement_id: RecordId):
    agreement = _draft(request, agreement_id)
    return api_call(
        services.agreement_submit, agreement=agreement, actor=actor_from_request(request)
    )


@router.post(
    "/sharing/access-requests/{agreement_id}/discard",
    response={200: AccessRequestOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Discard a member's draft with a reason they read (it is never sent)",
)
def discard_draft(request: HttpRequest, agreement_id: RecordId, payload: ReasonIn):
    agreement = _draft(request, agreement_id)
    return api_call(
        access_draft_discard,
        agreement=agreement,
        actor=actor_from_request(request),
        reason=payload.reason,
    )
