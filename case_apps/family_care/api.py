"""API of alternative family care (issue 19), calling the same services, selectors and
policy as the screens: the list, a care record, recording care on a case, adding a carer or
a follow-up, ending care, and the discharge from an institution to family care."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from case_apps.family_care import selectors, services
from case_apps.family_care.capabilities import FAMILY_CARE_KINDS
from case_apps.family_care.models import AlternativeCare, CareFollowUp
from case_apps.registry_person import registry_person_read
from tenants.actor import Actor, Forbidden, NotFound, actor_from_request
from tenants.api_errors import NOT_ALLOWED, api_invalid, api_require
from tenants.api_input import (
    CODE_MAX_LENGTH,
    SEARCH_MAX_LENGTH,
    BoundedLimitOffsetPagination,
    Code,
    RecordId,
    Year,
    model_text,
)
from tenants.policy import Permission

router = Router(tags=["family care"])
NOT_FOUND = "No such care record on a case of yours."
REF_MAX_LENGTH = 400
NAME_MAX_LENGTH = 100
MAX_CARERS = 4


def _actor(request: HttpRequest, permission: Permission) -> Actor:
    """The caller where family care runs (404 elsewhere), 403 without ``permission``."""
    organisation = getattr(request, "organisation", None)
    if organisation is None or organisation.kind not in FAMILY_CARE_KINDS:
        raise HttpError(404, "This workspace does not record family care.")
    api_require(request, permission)
    return actor_from_request(request)


def run(service, *, not_found: str = NOT_FOUND, **arguments):
    """Call a service as the caller: not found is 404, a refusal 403, bad input 422."""
    try:
        return service(**arguments)
    except NotFound:
        raise HttpError(404, not_found) from None
    except Forbidden:
        raise HttpError(403, NOT_ALLOWED) from None
    except ValidationError as error:
        raise api_invalid(error) from None


def _person(request: HttpRequest, actor: Actor, person_id: int, ref: str, field: str):
    """The registry person the input names (found by a registry search: ``ref``), or a 422
    naming ``field``."""
    try:
        return registry_person_read(
            actor=actor,
            person_id=person_id,
            ref=ref,
            purpose="carer of a family care record",
            request=request,
        )
    except NotFound:
        raise api_invalid(ValidationError({field: ["No such person in the registry."]})) from None


def _ref_field() -> Field:
    return Field(
        "",
        max_length=REF_MAX_LENGTH,
        description="The ref of the registry search result that showed this person (needed "
        "unless this organisation already holds a record on them).",
    )


# --- schemas --------------------------------------------------------------------------------
class CareFieldsIn(Schema):
    care_type: Code = Field(description="AFFC, AFCG, AFKS, AFCK, AFCA or ASIL")
    adoption_kind: str = Field("", max_length=16, description="local, international, ...")
    certificate_number: str = model_text(AlternativeCare, "certificate_number", "")
    certificate_expires_on: date | None = None
    court_name: str = model_text(AlternativeCare, "court_name", "")
    court_file_number: str = model_text(AlternativeCare, "court_file_number", "")
    agency: str = model_text(AlternativeCare, "agency", "")
    notes: str = model_text(AlternativeCare, "notes", "")


class CareIn(CareFieldsIn):
    started_on: date


class NewPersonIn(Schema):
    first_name: str = Field(max_length=NAME_MAX_LENGTH)
    other_names: str = Field("", max_length=NAME_MAX_LENGTH)
    surname: str = Field(max_length=NAME_MAX_LENGTH)
    sex: Code
    date_of_birth: date | None = None
    birth_year: Year | None = None
    registered_anyway_reason: str = Field("", max_length=1000)


class CarerIn(Schema):
    relationship_code: Code
    person_id: RecordId | None = Field(None, description="A registry person found by search.")
    person_ref: str = _ref_field()
    new_person: NewPersonIn | None = Field(None, description="Or a person to register.")


class CarerAddIn(Schema):
    relationship_code: Code
    person_id: RecordId
    person_ref: str = _ref_field()


class FollowUpIn(Schema):
    kind: Code
    visited_on: date
    wellbeing: Code
    findings: str = model_text(CareFollowUp, "findings", "")
    next_visit_on: date | None = None


class EndIn(Schema):
    ended_on: date
    notes: str = model_text(AlternativeCare, "end_notes", "")


class DischargeIn(CareFieldsIn):
    discharged_on: date
    discharge_type: Code = ""
    carers: list[CarerIn] = Field([], max_length=MAX_CARERS)


class CarerOut(Schema):
    id: int
    person_id: int
    cpims_id: str
    name: str
    relationship_code: str


class FollowUpOut(Schema):
    id: int
    kind: str
    visited_on: date
    wellbeing: str
    findings: str
    next_visit_on: date | None


class CareOut(Schema):
    id: int
    case_id: int
    care_type: str
    adoption_kind: str
    started_on: date
    ended_on: date | None
    certificate_number: str
    certificate_expires_on: date | None
    court_name: str
    court_file_number: str
    agency: str
    admission_id: int | None


class CareDetailOut(CareOut):
    carers: list[CarerOut]
    follow_ups: list[FollowUpOut]


class CareRowOut(CareOut):
    child_name: str
    last_follow_up_on: date | None
    last_follow_up_kind: str | None

    @staticmethod
    def resolve_child_name(care: AlternativeCare) -> str:
        return care.case.child.full_name


def _detail(care: AlternativeCare) -> dict:
    carers = [
        {
            "id": carer.pk,
            "person_id": carer.caregiver.person_id,
            "cpims_id": carer.person.cpims_id if carer.person else "",
            "name": carer.person.full_name if carer.person else "",
            "relationship_code": carer.caregiver.relationship_code,
        }
        for carer in selectors.care_carers(care)
    ]
    fields = CareOut.model_fields
    return {
        **{name: getattr(care, name) for name in fields},
        "carers": carers,
        "follow_ups": selectors.care_follow_ups(care),
    }


def _care(request: HttpRequest, actor: Actor, care_id: int, permission: Permission):
    return run(selectors.care_get, actor=actor, care_id=care_id, permission=permission)


# --- endpoints ------------------------------------------------------------------------------
@router.get(
    "/family-care",
    response=list[CareRowOut],
    summary="The family care records on your caseload (running ones unless ended=true)",
)
@paginate(BoundedLimitOffsetPagination)
def list_care(
    request: HttpRequest,
    q: str = Query("", max_length=SEARCH_MAX_LENGTH),
    care_type: str = Query("", max_length=CODE_MAX_LENGTH),
    expiring: bool = False,
    ended: bool = False,
):
    actor = _actor(request, Permission.VIEW_CASES)
    filters = selectors.CareFilters(
        search=q, care_type=care_type, expiring=expiring, running=not ended
    )
    return run(
        selectors.care_list_open,
        actor=actor,
        filters=filters,
        purpose="family care API",
        request=request,
    )


@router.get("/family-care/{care_id}", response=CareDetailOut, summary="A care record")
def read_care(request: HttpRequest, care_id: RecordId):
    actor = _actor(request, Permission.VIEW_CASES)
    care = run(
        selectors.care_open,
        actor=actor,
        care_id=care_id,
        purpose="family care API",
        request=request,
    )
    return _detail(care)


@router.post(
    "/cases/{case_id}/family-care",
    response={201: CareDetailOut},
    summary="Record family-based care on a case",
)
def record_care(request: HttpRequest, case_id: RecordId, payload: CareIn):
    actor = _actor(request, Permission.RECORD_CASES)
    care = run(
        services.care_record, not_found="No such case.", actor=actor, case=case_id, **payload.dict()
    )
    return Status(201, _detail(care))


@router.post(
    "/family-care/{care_id}/carers",
    response={201: CareDetailOut},
    summary="Add a carer (a registry person) with their relationship to the child",
)
def add_carer(request: HttpRequest, care_id: RecordId, payload: CarerAddIn):
    actor = _actor(request, Permission.RECORD_CASES)
    care = _care(request, actor, care_id, Permission.RECORD_CASES)
    person = _person(request, actor, payload.person_id, payload.person_ref, "person_id")
    run(
        services.carer_add,
        actor=actor,
        care=care,
        person=person,
        relationship_code=payload.relationship_code,
    )
    return Status(201, _detail(_care(request, actor, care_id, Permission.VIEW_CASES)))


@router.post(
    "/family-care/{care_id}/follow-ups",
    response={201: FollowUpOut},
    summary="Record a follow-up of the care (FFOC, monitoring, reviews)",
)
def add_follow_up(request: HttpRequest, care_id: RecordId, payload: FollowUpIn):
    actor = _actor(request, Permission.RECORD_CASES)
    care = _care(request, actor, care_id, Permission.RECORD_CASES)
    visit = run(services.care_follow_up_record, actor=actor, care=care, **payload.dict())
    return Status(201, visit)


@router.post("/family-care/{care_id}/end", response=CareDetailOut, summary="End the care")
def end_care(request: HttpRequest, care_id: RecordId, payload: EndIn):
    actor = _actor(request, Permission.RECORD_CASES)
    care = _care(request, actor, care_id, Permission.RECORD_CASES)
    return _detail(run(services.care_end, actor=actor, care=care, **payload.dict()))


@router.post(
    "/institution/admissions/{admission_id}/discharge-to-care",
    response={201: CareDetailOut},
    summary="Discharge a resident to family-based care with its carers, in one transaction",
)
def discharge_to_care(request: HttpRequest, admission_id: RecordId, payload: DischargeIn):
    actor = _actor(request, Permission.RECORD_CASES)
    if request.organisation.kind not in services.INSTITUTION_KINDS:
        raise HttpError(404, "Only institutions discharge residents.")
    carers = []
    for index, carer in enumerate(payload.carers):
        field = f"carers.{index}.person_id"
        if carer.person_id is not None:
            person = _person(request, actor, carer.person_id, carer.person_ref, field)
            carers.append(services.CarerInput(carer.relationship_code, person=person))
        elif carer.new_person is not None:
            carers.append(
                services.CarerInput(carer.relationship_code, new_person=carer.new_person.dict())
            )
        else:
            raise api_invalid(
                ValidationError({field: ["Name a registry person or a person to register."]})
            )
    care = run(
        services.discharge_to_care,
        not_found="No such resident.",
        actor=actor,
        admission=admission_id,
        carers=carers,
        **payload.dict(exclude={"carers"}),
    )
    return Status(201, _detail(care))
