"""Sharing API (django-ninja) for the caller's own organisation: agreements, consents,
referrals between organisations and shared records read through the gateway.

The same services, selectors and policy (tenants.policy) as the screens; nothing here
decides who may do what or what is valid. Two operations need a case (sending a referral
from a case, accepting one by opening the receiver's case): the import contract "Sharing
knows no case app" puts them in ``case_apps/cases/api_referrals.py``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from audit.services import access_record
from shared_registry.access import lookup_allowed
from shared_registry.models import Person
from shared_registry.selectors import person_get_by_cpims_id
from sharing import (
    gateway,
    registry,
    selectors,
    services,
    services_consent,
    services_referrals,
)
from sharing.models import (
    AgreementEvent,
    Consent,
    DataSharingAgreement,
    OrganisationReferral,
    PersonsMode,
    ReferralEvent,
)
from sharing.registry import record_kind_get, record_kinds
from sharing.selectors_for_actor import (
    agreement_for,
    referral_received_for,
    referral_sent_for,
    referral_summary_read,
)
from tenants.actor import NotFound, actor_from_request
from tenants.api_errors import api_call, api_require, api_too_many
from tenants.api_input import (
    NAME_MAX_LENGTH,
    SEARCH_MAX_LENGTH,
    BoundedLimitOffsetPagination,
    CpimsId,
    Reason,
    RecordId,
    Scope,
    Search,
    Slug,
    Word,
    model_text,
)
from tenants.policy import Permission, may

router = Router(tags=["sharing"])
platform_router = Router(tags=["sharing"], auth=django_auth)  # DCS headquarters

MAX_NAMED_PERSONS = services.MAX_NAMED_PERSONS  # the schema says it; the service enforces it


# --- schemas ------------------------------------------------------------------------------------
class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    """A refused input: the message names each field (ninja's own checks give a list)."""

    detail: str | list[dict[str, Any]]


class RefusedOut(Schema):
    """The gateway refused the read: ``reason`` is its code (no_agreement, field_not_shared,
    person_out_of_scope, not_allowed, unknown_kind, unknown_field, nothing_shared)."""

    detail: str
    reason: str


class EventOut(Schema):
    kind: str
    status_after: str
    actor_email: str
    acting_as: str
    reason: str
    occurred_at: datetime.datetime


class _AgreementFields(Schema):
    id: int
    requester: str
    provider: str
    status: str
    scope: dict[str, list[str]]
    persons_mode: str
    consent_based: bool
    purpose: str
    legal_basis: str
    start_date: datetime.date
    end_date: datetime.date
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_requester(agreement: DataSharingAgreement) -> str:
        return agreement.requester.slug

    @staticmethod
    def resolve_provider(agreement: DataSharingAgreement) -> str:
        return agreement.provider.slug


class AgreementOut(_AgreementFields):
    direction: str  # outgoing: your organisation requested it; incoming: asked of it

    @staticmethod
    def resolve_direction(agreement: DataSharingAgreement, context) -> str:
        mine = context["request"].organisation.pk
        return "outgoing" if agreement.requester_id == mine else "incoming"


class _AgreementHistory(Schema):
    person_cpims_ids: list[str]
    events: list[EventOut]

    @staticmethod
    def resolve_person_cpims_ids(agreement: DataSharingAgreement) -> list[str]:
        if agreement.persons_mode != PersonsMode.NAMED:
            return []
        return [p.cpims_id for p in selectors.persons_named(agreement)]

    @staticmethod
    def resolve_events(agreement: DataSharingAgreement) -> list[AgreementEvent]:
        return list(AgreementEvent.objects.filter(agreement=agreement).order_by("pk"))


class AgreementDetailOut(AgreementOut, _AgreementHistory):
    """An agreement with its named persons and its history."""


class ConsoleAgreementOut(_AgreementFields, _AgreementHistory):
    """An agreement as DCS headquarters sees it (both sides are others)."""


class AgreementIn(Schema):
    provider: Slug  # the providing organisation's slug
    scope: Scope  # {record kind: [fields]}
    persons_mode: str = model_text(DataSharingAgreement, "persons_mode", PersonsMode.NAMED)
    person_cpims_ids: list[CpimsId] = Field([], max_length=MAX_NAMED_PERSONS)
    purpose: str = model_text(DataSharingAgreement, "purpose")
    legal_basis: str = model_text(DataSharingAgreement, "legal_basis")
    start_date: datetime.date
    end_date: datetime.date
    consent_based: bool = False


class ReasonIn(Schema):
    reason: Reason = ""


class ConsentIn(Schema):
    given_by: str = model_text(Consent, "given_by")
    giver_name: str = model_text(Consent, "giver_name")
    giver_relationship: str = model_text(Consent, "giver_relationship", "")
    reference: str = model_text(Consent, "reference", "")
    purpose: str = model_text(Consent, "purpose")
    scope: Scope
    given_on: datetime.date
    valid_until: datetime.date


class ConsentOut(Schema):
    id: int
    series: str
    version: int
    person_cpims_id: str
    given_by: str
    giver_name: str
    giver_relationship: str
    reference: str
    purpose: str
    scope: dict[str, list[str]]
    given_on: datetime.date
    valid_until: datetime.date
    state: str
    recorded_by_email: str
    recorded_at: datetime.datetime
    superseded_at: datetime.datetime | None
    withdrawn_at: datetime.datetime | None
    withdrawal_reason: str


class ReferralOut(Schema):
    id: int
    kind: str
    status: str
    sender: str
    receiver: str
    person_cpims_id: str
    reason: str
    services: list[str]
    consent_id: RecordId
    sender_case_reference: str
    receiver_case_reference: str
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_sender(referral: OrganisationReferral) -> str:
        return referral.sender.slug

    @staticmethod
    def resolve_receiver(referral: OrganisationReferral) -> str:
        return referral.receiver.slug

    @staticmethod
    def resolve_person_cpims_id(referral: OrganisationReferral) -> str:
        return referral.person.cpims_id


class SummaryPartOut(Schema):
    record_kind: str
    fields: list[str]
    rows: list[dict[str, Any]]


class ReferralEventOut(EventOut):
    """A referral's step. The other organisation's steps name that organisation
    (``actor_organisation``) and carry no e-mail address (``actor_email`` is empty): its
    officers are not the caller's to know (issue 14, finding 7). The caller's own side keeps
    its colleagues' addresses."""

    actor_organisation: str

    @staticmethod
    def _own_side(event: ReferralEvent, context) -> bool:
        mine = context["request"].organisation.pk
        referral = event.referral
        return (event.acting_as == "sender" and referral.sender_id == mine) or (
            event.acting_as == "receiver" and referral.receiver_id == mine
        )

    @staticmethod
    def resolve_actor_email(event: ReferralEvent, context) -> str:
        return event.actor_email if ReferralEventOut._own_side(event, context) else ""

    @staticmethod
    def resolve_actor_organisation(event: ReferralEvent) -> str:
        side = {"sender": event.referral.sender, "receiver": event.referral.receiver}
        organisation = side.get(event.acting_as)
        return organisation.name if organisation is not None else ""


class ReferralDetailOut(ReferralOut):
    consent_in_force: bool
    summary: list[SummaryPartOut]  # the receiver's view only, while the consent is in force
    events: list[ReferralEventOut]

    @staticmethod
    def resolve_consent_in_force(referral: OrganisationReferral) -> bool:
        return referral.consent.in_force_on(timezone.localdate())

    @staticmethod
    def resolve_summary(referral: OrganisationReferral) -> list[dict]:
        return getattr(referral, "api_summary", [])

    @staticmethod
    def resolve_events(referral: OrganisationReferral) -> list[ReferralEvent]:
        return list(
            ReferralEvent.objects.filter(referral=referral)
            .select_related("referral__sender", "referral__receiver")
            .order_by("pk")
        )


class SharedRecordsOut(Schema):
    provider: str
    agreement_id: RecordId
    record_kind: str
    fields: list[str]
    rows: list[dict[str, Any]]


# --- helpers ------------------------------------------------------------------------------------
def _person(cpims_id: str) -> Person:
    person = person_get_by_cpims_id(cpims_id)
    if person is None:
        raise HttpError(404, "No person with this CPIMS ID in the registry.")
    return person


def _agreement(request: HttpRequest, agreement_id: RecordId) -> DataSharingAgreement:
    api_require(request, Permission.MANAGE_SHARING)
    try:
        return agreement_for(actor_from_request(request), agreement_id)
    except NotFound:
        raise HttpError(404, "No such agreement of your organisation.") from None


def _consent_out(consent: Consent) -> dict:
    return {
        "id": consent.pk,
        "series": str(consent.series),
        "version": consent.version,
        "person_cpims_id": consent.person.cpims_id,
        "given_by": consent.given_by,
        "giver_name": consent.giver_name,
        "giver_relationship": consent.giver_relationship,
        "reference": consent.reference,
        "purpose": consent.purpose,
        "scope": consent.scope,
        "given_on": consent.given_on,
        "valid_until": consent.valid_until,
        "state": consent.state,
        "recorded_by_email": consent.recorded_by.email,
        "recorded_at": consent.recorded_at,
        "superseded_at": consent.superseded_at,
        "withdrawn_at": consent.withdrawn_at,
        "withdrawal_reason": consent.withdrawal_reason,
    }


def _consent(request: HttpRequest, consent_id: RecordId) -> Consent:
    api_require(request, Permission.RECORD_CASES)
    consent = selectors.consent_of_organisation(
        organisation=request.organisation, consent_id=consent_id
    )
    if consent is None:
        raise HttpError(404, "No such consent recorded by your organisation.")
    _require_in_caseload(request, consent.person_id)
    return consent


def _require_in_caseload(request: HttpRequest, person_id: int) -> None:
    """Consent records are part of the child's record: only members who see one of the
    child's cases (their caseload scope, as on the case page) read or change them."""
    if not registry.person_in_caseload(
        request.user, getattr(request, "membership", None), person_id
    ):
        raise HttpError(403, "Only members who see this child's cases handle its consents.")


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


# --- agreements ---------------------------------------------------------------------------------
@router.get(
    "/sharing/agreements",
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
    response={200: AgreementDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="One agreement with its history",
)
def get_agreement(request: HttpRequest, agreement_id: RecordId):
    return _agreement(request, agreement_id)


@router.post(
    "/sharing/agreements",
    response={201: AgreementDetailOut, 403: ErrorOut, 422: InvalidOut},
    summary="Request data from another organisation (submitted to it)",
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
    )
    return Status(201, agreement)


def _decide(request: HttpRequest, agreement_id: RecordId, service, reason: str):
    agreement = _agreement(request, agreement_id)
    agreement = api_call(
        service, agreement=agreement, actor=actor_from_request(request), reason=reason
    )
    return agreement


@router.post(
    "/sharing/agreements/{agreement_id}/accept",
    response={200: AgreementDetailOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Accept a request as the provider (it goes to DCS headquarters)",
)
def accept_agreement(request: HttpRequest, agreement_id: RecordId, payload: ReasonIn):
    return _decide(request, agreement_id, services.agreement_accept, payload.reason)


@router.post(
    "/sharing/agreements/{agreement_id}/decline",
    response={200: AgreementDetailOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Decline a request as the provider (reason required)",
)
def decline_agreement(request: HttpRequest, agreement_id: RecordId, payload: ReasonIn):
    return _decide(request, agreement_id, services.agreement_decline, payload.reason)


@router.post(
    "/sharing/agreements/{agreement_id}/revoke",
    response={200: AgreementDetailOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Revoke an agreement or withdraw a pending request (reason required)",
)
def revoke_agreement(request: HttpRequest, agreement_id: RecordId, payload: ReasonIn):
    return _decide(request, agreement_id, services.agreement_revoke, payload.reason)


# --- consents -----------------------------------------------------------------------------------
@router.get(
    "/sharing/persons/{cpims_id}/consents",
    response={200: list[ConsentOut], 403: ErrorOut, 404: ErrorOut},
    summary="Consents your organisation recorded for a person, every version",
)
def list_consents(request: HttpRequest, cpims_id: CpimsId):
    """Newest consent first; within a consent, newest version first."""
    api_require(request, Permission.RECORD_CASES)
    person = _person(cpims_id)
    _require_in_caseload(request, person.pk)
    series = selectors.consents_of_person(organisation=request.organisation, person_id=person.pk)
    if series:  # a read of the child's consent records, logged as every read of a record
        access_record(
            actor=request.user,
            record_kind="consent",
            record_id=person.cpims_id,
            purpose="consents (API)",
            request=request,
        )
    return [_consent_out(c) for versions in series for c in versions]


@router.post(
    "/sharing/persons/{cpims_id}/consents",
    response={201: ConsentOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Record a consent to share a person's data",
)
def record_consent(request: HttpRequest, cpims_id: CpimsId, payload: ConsentIn):
    api_require(request, Permission.RECORD_CASES)
    person = _person(cpims_id)
    _require_in_caseload(request, person.pk)
    consent = api_call(
        services_consent.consent_record,
        organisation=request.organisation,
        person=person,
        actor=request.user,
        **payload.dict(),
    )
    return Status(201, _consent_out(consent))


@router.post(
    "/sharing/consents/{consent_id}/versions",
    response={201: ConsentOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Change a consent (records a new version; the old one is kept)",
)
def change_consent(request: HttpRequest, consent_id: RecordId, payload: ConsentIn):
    consent = _consent(request, consent_id)
    new = api_call(
        services_consent.consent_change, consent=consent, actor=request.user, **payload.dict()
    )
    return Status(201, _consent_out(new))


@router.post(
    "/sharing/consents/{consent_id}/withdraw",
    response={200: ConsentOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Withdraw a consent (reason required): sharing that relied on it stops",
)
def withdraw_consent(request: HttpRequest, consent_id: RecordId, payload: ReasonIn):
    consent = _consent(request, consent_id)
    withdrawn = api_call(
        services_consent.consent_withdraw,
        consent=consent,
        actor=request.user,
        reason=payload.reason,
    )
    return _consent_out(withdrawn)


# --- referrals between organisations ------------------------------------------------------------
@router.get(
    "/sharing/referrals/sent",
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
    response={200: ReferralDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="A referral your organisation sent, with its status and history",
)
def get_referral_sent(request: HttpRequest, referral_id: RecordId):
    return _referral_sent(request, referral_id)


@router.get(
    "/sharing/referrals/received/{referral_id}",
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


# --- shared records through the gateway ---------------------------------------------------------
@router.get(
    "/sharing/persons/{cpims_id}/shared-records",
    response={200: list[SharedRecordsOut], 403: RefusedOut},
    summary="A person's records other organisations share with you (through the gateway)",
)
def shared_records(
    request: HttpRequest, cpims_id: CpimsId, record_kind: Word = "", fields: Search = ""
):
    """Without ``fields``: everything each agreement in force shares (of ``record_kind``, or
    of every kind). With ``fields`` (comma-separated, ``record_kind`` required): exactly
    those, refused unless one agreement shares them all. Every read is logged by the gateway
    in the three access logs; a refusal logs nothing and says why (403). An unknown CPIMS ID
    is refused exactly like a person nothing is shared on."""
    if not may(
        request.user,
        Permission.VIEW_CASES,
        organisation=request.organisation,
        membership=request.membership,
    ):
        return Status(403, {"detail": "Your role does not allow this.", "reason": "not_allowed"})
    if not lookup_allowed(request):  # a registry look-up: counted like the person pages
        raise api_too_many()
    person = person_get_by_cpims_id(cpims_id)
    if person is None or person.merged_into_id:
        # An ID nobody holds is answered as a person nothing is shared on (the same 403 and
        # reason): a different answer would tell a member which IDs exist. No agreement
        # covers a person that is not saved, so the gateway refuses before reading.
        person = Person(cpims_id="")
    wanted = [f.strip() for f in fields.split(",") if f.strip()]
    try:
        if wanted:
            if record_kind_get(record_kind) is None:
                raise gateway.SharingRefused("unknown_kind", "Name a registered record kind.")
            results = gateway.read(
                requester_organisation=request.organisation,
                actor=request.user,
                record_kind=record_kind,
                person=person,
                fields=wanted,
                request=request,
            )
        else:
            kinds = [record_kind] if record_kind else [k.name for k in record_kinds()]
            if any(record_kind_get(k) is None for k in kinds):
                raise gateway.SharingRefused("unknown_kind", "Name a registered record kind.")
            results = [
                shared
                for kind in kinds
                for shared in gateway.shared_summary(
                    requester_organisation=request.organisation,
                    actor=request.user,
                    person=person,
                    record_kind=kind,
                    request=request,
                )
            ]
            if not results:
                raise gateway.SharingRefused(
                    "nothing_shared",
                    "No agreement in force shares this person's records with your organisation.",
                )
    except gateway.SharingRefused as refused:
        return Status(403, {"detail": str(refused), "reason": refused.reason})
    return [
        {
            "provider": r.provider.slug,
            "agreement_id": r.agreement.pk,
            "record_kind": r.record_kind,
            "fields": r.fields,
            "rows": r.rows,
        }
        for r in results
    ]


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
    response={200: list[ConsoleAgreementOut], 403: ErrorOut},
    summary="Agreements accepted by the provider, waiting for DCS approval (oldest first)",
)
@paginate(BoundedLimitOffsetPagination)
def approval_queue(request: HttpRequest, q: str = Query("", max_length=SEARCH_MAX_LENGTH)):
    _require_approver(request)
    return selectors.approval_queue(search=q[:100])


@platform_router.get(
    "/sharing/agreements/{agreement_id}",
    response={200: ConsoleAgreementOut, 403: ErrorOut, 404: ErrorOut},
    summary="One agreement with its history",
)
def console_agreement(request: HttpRequest, agreement_id: RecordId):
    return _console_agreement(request, agreement_id)


@platform_router.post(
    "/sharing/agreements/{agreement_id}/approve",
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
