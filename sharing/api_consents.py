"""Sharing API: the consents your organisation recorded to share a child's data."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError

from audit.services import access_record
from shared_registry.models import Person
from shared_registry.selectors import person_get_by_cpims_id
from sharing import (
    registry,
    selectors,
    services_consent,
)
from sharing.api_schemas import (
    ConsentIn,
    ConsentOut,
    ErrorOut,
    InvalidOut,
    ReasonIn,
)
from sharing.models import (
    Consent,
)
from tenants.actor import actor_from_request
from tenants.api_errors import api_call, api_require
from tenants.api_input import (
    CpimsId,
    RecordId,
)
from tenants.client_ids import was_replayed
from tenants.policy import Permission

router = Router(tags=["sharing"])


def _person(cpims_id: str) -> Person:
    person = person_get_by_cpims_id(cpims_id)
    if person is None:
        raise HttpError(404, "No person with this CPIMS ID in the registry.")
    return person


def _consent_out(consent: Consent) -> dict:
    return {
        "id": consent.pk,
        "uuid": consent.uuid,
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


# --- consents -----------------------------------------------------------------------------------
@router.get(
    "/sharing/persons/{cpims_id}/consents",
    operation_id="sharing_api_list_consents",
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
    operation_id="sharing_api_record_consent",
    response={201: ConsentOut, 200: ConsentOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Record a consent to share a person's data (200: the same uuid and content again)",
)
def record_consent(request: HttpRequest, cpims_id: CpimsId, payload: ConsentIn):
    api_require(request, Permission.RECORD_CASES)
    person = _person(cpims_id)
    _require_in_caseload(request, person.pk)
    consent = api_call(
        services_consent.consent_record,
        organisation=request.organisation,
        person=person,
        actor=actor_from_request(request),
        **payload.dict(),
    )
    return Status(200 if was_replayed(consent) else 201, _consent_out(consent))


@router.post(
    "/sharing/consents/{consent_id}/versions",
    operation_id="sharing_api_change_consent",
    response={201: ConsentOut, 200: ConsentOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Change a consent (a new version, the old one kept; 200: the same uuid again)",
)
def change_consent(request: HttpRequest, consent_id: RecordId, payload: ConsentIn):
    consent = _consent(request, consent_id)
    new = api_call(
        services_consent.consent_change,
        consent=consent,
        actor=actor_from_request(request),
        **payload.dict(),
    )
    return Status(200 if was_replayed(new) else 201, _consent_out(new))


@router.post(
    "/sharing/consents/{consent_id}/withdraw",
    operation_id="sharing_api_withdraw_consent",
    response={200: ConsentOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Withdraw a consent (reason required): sharing that relied on it stops",
)
def withdraw_consent(request: HttpRequest, consent_id: RecordId, payload: ReasonIn):
    consent = _consent(request, consent_id)
    withdrawn = api_call(
        services_consent.consent_withdraw,
        consent=consent,
        actor=actor_from_request(request),
        reason=payload.reason,
    )
    return _consent_out(withdrawn)
