"""The organisation's own codes on its workspace API, and the console API where DCS
headquarters' national administrators set them (``/api/console/organisations/{id}/codes``)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from tenants.actor import actor_from_request
from tenants.api_errors import ErrorOut, InvalidInput, InvalidOut, api_call
from tenants.api_input import Code, RecordId, model_text
from tenants.expiry import expiries
from tenants.models import Organisation
from tenants.policy import Permission, may
from tenants.services import organisation_codes_set

workspace_router = Router(tags=["organisation"])
platform_router = Router(tags=["console"], auth=django_auth)


class ParentOut(Schema):
    id: int
    name: str
    type_code: str


class ExpiryOut(Schema):
    document: str
    number: str
    expires_on: date
    days_left: int


class OrganisationCodesOut(Schema):
    id: int
    name: str
    slug: str
    kind: str
    type_code: str
    registration_type: str
    registration_number: str
    registered_on: date | None
    licence_number: str
    licence_expires_on: date | None
    gazettement_number: str
    gazetted_on: date | None
    gazettement_expires_on: date | None
    parent: ParentOut | None
    expiring: list[ExpiryOut]
    staff_forms_need_approval: bool = Field(
        description="Forms typed in the web app by members who do not supervise wait for a "
        "supervisor's approval (the organisation administrators' setting)."
    )


def _out(organisation: Organisation) -> dict:
    parent = organisation.parent
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "slug": organisation.slug,
        "kind": organisation.kind,
        "type_code": organisation.type_code,
        "registration_type": organisation.registration_type,
        "registration_number": organisation.registration_number,
        "registered_on": organisation.registered_on,
        "licence_number": organisation.licence_number,
        "licence_expires_on": organisation.licence_expires_on,
        "gazettement_number": organisation.gazettement_number,
        "gazetted_on": organisation.gazetted_on,
        "gazettement_expires_on": organisation.gazettement_expires_on,
        "parent": None
        if parent is None
        else {"id": parent.pk, "name": parent.name, "type_code": parent.type_code},
        "expiring": [
            {
                "document": e.document,
                "number": e.number,
                "expires_on": e.expires_on,
                "days_left": e.days_left,
            }
            for e in expiries(organisation=organisation)
        ],
        "staff_forms_need_approval": organisation.staff_forms_need_approval,
    }


@workspace_router.get(
    "/organisation/",
    response={200: OrganisationCodesOut, 403: ErrorOut},
    operation_id="organisation_codes_read",
    summary="This organisation's type code, registration, licence, gazettement and parent",
)
def organisation_read(request: HttpRequest):
    if not may(
        request.user,
        Permission.ENTER_WORKSPACE,
        organisation=request.organisation,
        membership=getattr(request, "membership", None),
    ):
        raise HttpError(403, "Members only.")
    organisation = Organisation.objects.select_related("parent").get(pk=request.organisation.pk)
    return _out(organisation)


class CodesIn(Schema):
    type_code: Code = ""
    registration_type: Code = ""
    registration_number: str = model_text(Organisation, "registration_number", "")
    registered_on: date | None = None
    licence_number: str = model_text(Organisation, "licence_number", "")
    licence_expires_on: date | None = None
    gazettement_number: str = model_text(Organisation, "gazettement_number", "")
    gazetted_on: date | None = None
    gazettement_expires_on: date | None = None
    parent_id: RecordId | None = None


def _console_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    if getattr(request, "organisation", None) is not None or not may(
        request.user, Permission.USE_CONSOLE
    ):
        raise HttpError(403, "DCS headquarters only.")
    organisation = Organisation.objects.select_related("parent").filter(pk=organisation_id).first()
    if organisation is None:
        raise HttpError(404, "No such organisation.")
    return organisation


@platform_router.get(
    "/console/organisations/{organisation_id}/codes",
    response={200: OrganisationCodesOut, 403: ErrorOut, 404: ErrorOut},
    operation_id="console_organisation_codes_read",
    summary="An organisation's codes, licence, gazettement and parent (DCS console)",
)
def console_codes_read(request: HttpRequest, organisation_id: RecordId):
    return _out(_console_organisation(request, organisation_id))


@platform_router.patch(
    "/console/organisations/{organisation_id}/codes",
    response={200: OrganisationCodesOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    operation_id="console_organisation_codes_set",
    summary="Set an organisation's codes, licence, gazettement or parent (national admins)",
)
def console_codes_set(request: HttpRequest, organisation_id: RecordId, payload: CodesIn):
    organisation = _console_organisation(request, organisation_id)
    if not may(request.user, Permission.VERIFY_ORGANISATIONS):
        raise HttpError(403, "National administrators only.")
    values = payload.dict(exclude_unset=True)
    if "parent_id" in values:
        parent_id = values.pop("parent_id")
        parent = None
        if parent_id is not None:
            parent = Organisation.objects.filter(pk=parent_id).first()
            if parent is None:
                raise InvalidInput({"parent_id": ["No such organisation."]})
        values["parent"] = parent
    try:
        api_call(
            organisation_codes_set,
            actor=actor_from_request(request),
            organisation_id=organisation.pk,
            **values,
        )
    except InvalidInput as invalid:  # the service names the parent; the caller sent its id
        errors = invalid.errors
        if "parent" in errors:
            errors["parent_id"] = errors.pop("parent")
        raise InvalidInput(errors) from None
    return _out(Organisation.objects.select_related("parent").get(pk=organisation.pk))
