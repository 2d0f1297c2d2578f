"""Case API (django-ninja): the same services, selectors and policy as the screens."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import BaseModel, model_validator

from case_apps.cases import selectors, services
from case_apps.cases.models import (
    ApprovalRequest,
    CaseCategory,
    CaseRecord,
    FollowUp,
    Perpetrator,
    Referral,
)
from case_apps.cases.services.common import REASON_MAX_LENGTH
from tenants.actor import Forbidden, NotFound, actor_from_request
from tenants.api_errors import NOT_ALLOWED, api_invalid, api_require
from tenants.api_input import (
    CODE_MAX_LENGTH,
    MAX_ITEMS,
    NAME_MAX_LENGTH,
    SEARCH_MAX_LENGTH,
    BoundedCountPagination,
    ClientUuid,
    Code,
    Codes,
    RecordId,
    model_text,
)
from tenants.policy import Permission

router = Router(tags=["cases"])


class CategoryIn(Schema):
    category_code: Code
    sub_category_codes: Codes = []
    date_of_event: date | None = None
    place_of_event: str = model_text(CaseCategory, "place_of_event", "")
    nature: str = model_text(CaseCategory, "nature", "")


class PerpetratorIn(Schema):
    status: str = model_text(Perpetrator, "status")
    name: str = model_text(Perpetrator, "name", "")
    sex: str = model_text(Perpetrator, "sex", "")
    relationship_code: str = model_text(Perpetrator, "relationship_code", "")


class SheetDetailsIn(Schema):
    """The record sheet's places, police, court and summons fields (create and correct)."""

    occurrence_county_code: str = model_text(CaseRecord, "occurrence_county_code", "")
    occurrence_sub_county_code: str = model_text(CaseRecord, "occurrence_sub_county_code", "")
    occurrence_ward_code: str = model_text(CaseRecord, "occurrence_ward_code", "")
    occurrence_village: str = model_text(CaseRecord, "occurrence_village", "")
    police_station: str = model_text(CaseRecord, "police_station", "")
    ob_number: str = model_text(CaseRecord, "ob_number", "")
    court_name: str = model_text(CaseRecord, "court_name", "")
    court_file_number: str = model_text(CaseRecord, "court_file_number", "")
    summons_issued: bool = False
    summons_issued_on: date | None = None
    residence_county_code: str = model_text(CaseRecord, "residence_county_code", "")
    residence_sub_county_code: str = model_text(CaseRecord, "residence_sub_county_code", "")
    residence_ward_code: str = model_text(CaseRecord, "residence_ward_code", "")
    residence_village: str = model_text(CaseRecord, "residence_village", "")


class CaseIn(SheetDetailsIn):
    child_id: RecordId
    child_ref: str = Field(
        "",
        max_length=100,
        description="The ref of the registry search result that showed this child (needed "
        "unless this organisation already holds a record on the child).",
    )
    uuid: ClientUuid | None = Field(
        None,
        description="The client's own id for this case record sheet (offline capture): a "
        "repeat with the same uuid and content answers 200 with the case and writes nothing; "
        "the same uuid with other content is a 422 naming uuid. The serial and the national "
        "reference are the server's.",
    )
    date_reported: date
    how_reported: str = model_text(CaseRecord, "how_reported")
    reporter_type: str = model_text(CaseRecord, "reporter_type")
    risk_level: str = model_text(CaseRecord, "risk_level")
    categories: list[CategoryIn] = Field(max_length=MAX_ITEMS)
    reporter_name: str = model_text(CaseRecord, "reporter_name", "")
    reporter_phone: str = model_text(CaseRecord, "reporter_phone", "")
    is_emergency: bool = False
    immediate_needs: Codes = []
    long_term_needs: Codes = []
    intake_intervention: str = model_text(CaseRecord, "intake_intervention", "")
    narrative: str = model_text(CaseRecord, "narrative", "")
    perpetrators: list[PerpetratorIn] = Field([], max_length=MAX_ITEMS)


# A case as the API shows it: a plain pydantic model read from the case in one pass
# (``_read_case``), not a ninja ``Schema``, whose per-attribute getter cost the caseload's
# pages of 100 about a third of their time (docs/case-management.md).
class CaseOut(BaseModel):
    id: int
    uuid: UUID
    national_reference: str
    child_id: int
    child_cpims_id: str
    date_reported: date
    status: str
    stage: str = Field(description="pending, active, closed or reopened")
    activated_on: date | None = Field(
        None, description="The date of the case's first action after intake."
    )
    risk_level: str
    police_station: str
    ob_number: str
    court_name: str
    court_file_number: str
    summons_issued: bool
    summons_issued_on: date | None
    occurrence_county_code: str
    occurrence_sub_county_code: str
    occurrence_ward_code: str
    residence_county_code: str
    residence_sub_county_code: str
    residence_ward_code: str
    residence_village: str
    assigned_officer_id: int
    categories: list[str]
    version: int

    @model_validator(mode="before")
    @classmethod
    def _read_case(cls, case: Any) -> Any:
        if isinstance(case, dict):  # a caseload row (selectors.caseload_values)
            if "category_list" in case:
                case["categories"] = case.pop("category_list")
            return case
        if not isinstance(case, CaseRecord):
            return case
        values = {name: getattr(case, name) for name in _CASE_ATTRIBUTES}
        values["child_cpims_id"] = case.child.cpims_id
        values["categories"] = [c.category_code for c in case.categories.all()]
        return values


_CASE_ATTRIBUTES = tuple(
    name for name in CaseOut.model_fields if name not in ("child_cpims_id", "categories")
)


class FollowUpIn(Schema):
    uuid: ClientUuid | None = Field(
        None,
        description="The client's own id for this follow-up: a repeat with the same uuid and "
        "content answers 200 and writes nothing; other content is a 422 naming uuid.",
    )
    follow_up_type: str = model_text(FollowUp, "follow_up_type")
    date: date
    notes: str = model_text(FollowUp, "notes", "")
    court_name: str = model_text(FollowUp, "court_name", "")
    court_session_type: str = model_text(FollowUp, "court_session_type", "")
    court_outcome: str = model_text(FollowUp, "court_outcome", "")
    adjournment_reason: str = model_text(FollowUp, "adjournment_reason", "")
    next_court_date: date | None = None
    court_order: str = model_text(FollowUp, "court_order", "")
    summons_issued_on: date | None = None
    summons_served_on: date | None = None
    summons_honoured: bool | None = None
    summons_honoured_on: date | None = None


class CreatedOut(Schema):
    id: int


class FollowUpCreatedOut(Schema):
    id: int
    uuid: UUID


class ReferralIn(Schema):
    actor: str = model_text(Referral, "actor")
    destination: str = model_text(Referral, "destination")
    reasons: Codes = []  # referral_reason codes: one or more
    referred_on: date
    destination_name: str = model_text(Referral, "destination_name", "")


class FinalInterventionIn(Schema):
    """The final intervention of one of the case's categories (issue 17)."""

    category_id: RecordId
    intervention_code: Code
    notes: str = model_text(ApprovalRequest, "notes", "")


class ClosureIn(Schema):
    closure_reason: str = model_text(ApprovalRequest, "closure_reason")
    notes: str = model_text(ApprovalRequest, "notes")
    closed_on: date | None = None  # the day the case closed (required: 422 when missing)
    final_interventions: list[FinalInterventionIn] = Field([], max_length=MAX_ITEMS)


class DecisionIn(Schema):
    approve: bool
    reason: str = model_text(ApprovalRequest, "decision_reason", "")


def _run(service, *, not_found: str = "No such case.", **arguments):
    """Call a service as the caller: not found is 404, a refusal 403, bad input 422."""
    try:
        return service(**arguments)
    except NotFound:
        raise HttpError(404, not_found) from None
    except Forbidden:
        raise HttpError(403, NOT_ALLOWED) from None
    except ValidationError as error:
        raise api_invalid(error) from None


def _case(request: HttpRequest, case_id: RecordId, permission: Permission) -> CaseRecord:
    """The case as the caller: 404 when missing or not visible, 403 without ``permission``."""
    return _run(
        selectors.case_get,
        actor=actor_from_request(request),
        case_id=case_id,
        permission=permission,
    )


@router.get(
    "/cases",
    response=list[CaseOut],
    summary="The caseload visible to you",
    description="Newest first. `count` is counted up to 10,000 matching cases; "
    "`count_is_capped` is true when more match (narrow with the filters).",
)
@paginate(BoundedCountPagination)
def list_cases(
    request: HttpRequest,
    status: str = Query("", max_length=NAME_MAX_LENGTH),
    stage: str = Query("", max_length=NAME_MAX_LENGTH),
    category: str = Query("", max_length=CODE_MAX_LENGTH),
    q: str = Query("", max_length=SEARCH_MAX_LENGTH),
):
    api_require(request, Permission.VIEW_CASES)
    filters = selectors.CaseFilters(search=q, status=status, stage=stage, category=category)
    return selectors.caseload_values(
        actor=actor_from_request(request), filters=filters, columns=_CASE_ATTRIBUTES
    )


@router.get("/cases/{case_id}", response=CaseOut, summary="One case")
def get_case(request: HttpRequest, case_id: RecordId):
    return _run(
        selectors.case_read,
        actor=actor_from_request(request),
        case_id=case_id,
        purpose="case API",
        request=request,
    )


@router.post(
    "/cases",
    response={201: CaseOut, 200: CaseOut},
    summary="Record a case record sheet (200: the same uuid and content again, nothing written)",
)
def open_case(request: HttpRequest, payload: CaseIn):
    api_require(request, Permission.RECORD_CASES)
    actor = actor_from_request(request)
    try:
        child = selectors.child_get(
            actor=actor, person_id=payload.child_id, ref=payload.child_ref, request=request
        )
    except NotFound:
        raise HttpError(422, "child_id: no such person in the registry.") from None
    data = payload.dict(exclude={"child_id", "child_ref", "categories", "perpetrators"})
    case = _run(
        services.case_open,
        actor=actor,
        child=child,
        categories=[services.CategoryInput(**c.dict()) for c in payload.categories],
        perpetrators=[services.PerpetratorInput(**p.dict()) for p in payload.perpetrators],
        **data,
    )
    return Status(200 if services.was_replayed(case) else 201, case)


@router.post(
    "/cases/{case_id}/follow-ups",
    response={201: FollowUpCreatedOut, 200: FollowUpCreatedOut},
    summary="Add a follow-up (200: the same uuid and content again, nothing written)",
)
def add_follow_up(request: HttpRequest, case_id: RecordId, payload: FollowUpIn):
    case = _case(request, case_id, Permission.RECORD_CASES)
    follow_up = _run(
        services.follow_up_record, case=case, actor=actor_from_request(request), **payload.dict()
    )
    status = 200 if services.was_replayed(follow_up) else 201
    return Status(status, {"id": follow_up.pk, "uuid": follow_up.uuid})


@router.post("/cases/{case_id}/referrals", response={201: CreatedOut}, summary="Refer the child")
def add_referral(request: HttpRequest, case_id: RecordId, payload: ReferralIn):
    case = _case(request, case_id, Permission.RECORD_CASES)
    data = payload.dict()
    referral = _run(
        services.referral_record,
        case=case,
        actor=actor_from_request(request),
        actor_type=data.pop("actor"),
        **data,
    )
    return Status(201, {"id": referral.pk})


@router.post(
    "/cases/{case_id}/closure",
    response={201: CreatedOut},
    summary="Ask a supervisor to close the case",
)
def request_closure(request: HttpRequest, case_id: RecordId, payload: ClosureIn):
    case = _case(request, case_id, Permission.RECORD_CASES)
    approval = _run(
        services.closure_request, case=case, actor=actor_from_request(request), **payload.dict()
    )
    return Status(201, {"id": approval.pk})


@router.post(
    "/approvals/{approval_id}/decision",
    response=CreatedOut,
    summary="Approve or send back a request",
)
def decide(request: HttpRequest, approval_id: RecordId, payload: DecisionIn):
    api_require(request, Permission.SUPERVISE_CASES)
    actor = actor_from_request(request)
    waiting = "No such request waiting for you."
    approval = _run(
        selectors.approval_waiting_get, not_found=waiting, actor=actor, approval_id=approval_id
    )
    _run(
        services.approval_decide,
        not_found=waiting,
        approval=approval,
        actor=actor,
        approve=payload.approve,
        reason=payload.reason,
    )
    return {"id": approval.pk}


# --- corrections and removals of records on a case (national figures restated) -----------
class FollowUpDateIn(Schema):
    date: date


class RemovalIn(Schema):
    reason: str = Field(..., max_length=REASON_MAX_LENGTH)  # the service's own bound


class RemovedOut(Schema):
    id: int
    removed: bool = True


@router.patch(
    "/cases/{case_id}/follow-ups/{follow_up_id}",
    response=CreatedOut,
    summary="Correct the date of a follow-up",
)
def correct_follow_up_date(
    request: HttpRequest, case_id: RecordId, follow_up_id: RecordId, payload: FollowUpDateIn
):
    follow_up = _run(
        services.follow_up_date_correct,
        not_found="No such follow-up on a case of yours.",
        actor=actor_from_request(request),
        case=case_id,
        follow_up_id=follow_up_id,
        date=payload.date,
    )
    return {"id": follow_up.pk}


@router.post(
    "/cases/{case_id}/follow-ups/{follow_up_id}/delete",
    response=RemovedOut,
    summary="Remove a follow-up recorded by mistake (supervisors; a reason)",
)
def delete_follow_up(
    request: HttpRequest, case_id: RecordId, follow_up_id: RecordId, payload: RemovalIn
):
    removed = _run(
        services.follow_up_delete,
        not_found="No such follow-up on a case of yours.",
        actor=actor_from_request(request),
        case=case_id,
        follow_up_id=follow_up_id,
        reason=payload.reason,
    )
    return {"id": removed.pk}


@router.post(
    "/cases/{case_id}/referrals/{referral_id}/delete",
    response=RemovedOut,
    summary="Remove a referral recorded by mistake (supervisors; a reason)",
)
def delete_referral(
    request: HttpRequest, case_id: RecordId, referral_id: RecordId, payload: RemovalIn
):
    removed = _run(
        services.referral_delete,
        not_found="No such referral on a case of yours.",
        actor=actor_from_request(request),
        case=case_id,
        referral_id=referral_id,
        reason=payload.reason,
    )
    return {"id": removed.pk}


@router.post(
    "/cases/{case_id}/placements/{placement_id}/delete",
    response=RemovedOut,
    summary="Remove a placement recorded by mistake (supervisors; a reason)",
)
def delete_placement(
    request: HttpRequest, case_id: RecordId, placement_id: RecordId, payload: RemovalIn
):
    removed = _run(
        services.placement_delete,
        not_found="No such placement on a case of yours.",
        actor=actor_from_request(request),
        case=case_id,
        placement_id=placement_id,
        reason=payload.reason,
    )
    return {"id": removed.pk}


class CaseUpdateIn(SheetDetailsIn):
    """A correction of the case record sheet: only the fields sent change."""

    version: RecordId = Field(description="The version read with the case (a later save is a 409).")
    date_reported: date | None = None
    how_reported: str = model_text(CaseRecord, "how_reported", "")
    reporter_type: str = model_text(CaseRecord, "reporter_type", "")
    reporter_name: str = model_text(CaseRecord, "reporter_name", "")
    reporter_phone: str = model_text(CaseRecord, "reporter_phone", "")
    risk_level: str = model_text(CaseRecord, "risk_level", "")
    is_emergency: bool = False
    narrative: str = model_text(CaseRecord, "narrative", "")


@router.patch(
    "/cases/{case_id}",
    response=CaseOut,
    summary="Correct the case record sheet (the fields sent; 409 if it changed since read)",
)
def update_case(request: HttpRequest, case_id: RecordId, payload: CaseUpdateIn):
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    if "date_reported" in changes and changes["date_reported"] is None:
        raise HttpError(422, "date_reported: give a date.")
    try:
        return _run(
            services.case_update,
            case=case_id,
            actor=actor_from_request(request),
            expected_version=payload.version,
            **changes,
        )
    except services.CaseConflict:
        raise HttpError(409, "The case changed since you read it: read it again.") from None
