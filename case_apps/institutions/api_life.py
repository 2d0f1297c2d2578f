"""API of the institution's life (issue 19), calling the same services, selectors and policy
as the screens: list and add leaves (and the return from one), adverse events, the return
after an escape, education, case conferences, care plans and their reviews, under
``/institution/admissions/{admission_id}/``; and the overdue leaves and care plan reviews."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from case_apps.institutions import selectors_life, services_life
from case_apps.institutions.models import Admission
from case_apps.institutions.models_life import (
    AdverseEvent,
    CarePlan,
    CarePlanReview,
    CaseConference,
    EducationRecord,
    LeaveOfAbsence,
)
from tenants.actor import Forbidden, NotFound, actor_from_request
from tenants.api_errors import NOT_ALLOWED, api_invalid
from tenants.api_input import BoundedLimitOffsetPagination, Code, RecordId, model_text
from tenants.policy import Permission

router = Router(tags=["institutions"])
NOT_FOUND = "No such admission or record here."
A = "/institution/admissions/{admission_id}"


def _run(service, **arguments):
    """Call a service as the caller: not found is 404, a refusal 403, bad input 422 naming
    the field (nothing saved: every service is one transaction)."""
    try:
        return service(**arguments)
    except NotFound:
        raise HttpError(404, NOT_FOUND) from None
    except Forbidden:
        raise HttpError(403, NOT_ALLOWED) from None
    except ValidationError as error:
        raise api_invalid(error) from None


def _admission(request: HttpRequest, admission_id: int, permission: Permission) -> Admission:
    return _run(
        selectors_life.admission_get,
        actor=actor_from_request(request),
        admission_id=admission_id,
        permission=permission,
    )


def _write(request: HttpRequest, service, admission_id: int, **arguments):
    admission = _admission(request, admission_id, Permission.RECORD_CASES)
    return _run(service, actor=actor_from_request(request), admission=admission, **arguments)


def _life(request: HttpRequest, admission_id: int, purpose: str) -> selectors_life.AdmissionLife:
    """The admission's life records as the caller, the read logged with ``purpose``."""
    return _run(
        selectors_life.admission_life_open,
        actor=actor_from_request(request),
        admission_id=admission_id,
        purpose=purpose,
        request=request,
    )


class LeaveIn(Schema):
    left_on: date
    due_back_on: date
    destination: str = model_text(LeaveOfAbsence, "destination")
    reason: str = model_text(LeaveOfAbsence, "reason")


class LeaveReturnIn(Schema):
    returned_on: date


class LeaveOut(Schema):
    id: int
    admission_id: int
    left_on: date
    due_back_on: date
    returned_on: date | None
    destination: str
    reason: str
    is_overdue: bool


class AdverseEventIn(Schema):
    event_code: Code
    occurred_on: date
    notes: str = model_text(AdverseEvent, "notes", "")


class AdverseEventOut(Schema):
    id: int
    admission_id: int
    event_code: str
    occurred_on: date
    notes: str


class ReturnIn(Schema):
    returned_on: date
    admission_number: str = model_text(Admission, "admission_number", "")
    notes: str = model_text(Admission, "notes", "")


class ReturnOut(Schema):
    id: int
    case_id: int
    previous_admission_id: int
    admitted_on: date
    admission_type: str
    residential_status: str


class EducationIn(Schema):
    school_name: str = model_text(EducationRecord, "school_name")
    level: Code
    class_name: str = model_text(EducationRecord, "class_name", "")
    started_on: date
    notes: str = model_text(EducationRecord, "notes", "")


class EducationOut(Schema):
    id: int
    admission_id: int
    school_name: str
    level: str
    class_name: str
    started_on: date
    notes: str


class ConferenceIn(Schema):
    held_on: date
    attendees: str = model_text(CaseConference, "attendees")
    decisions: str = model_text(CaseConference, "decisions")
    next_on: date | None = None


class ConferenceOut(Schema):
    id: int
    admission_id: int
    held_on: date
    attendees: str
    decisions: str
    next_on: date | None


class CarePlanIn(Schema):
    drawn_up_on: date
    review_due_on: date
    health_goals: str = model_text(CarePlan, "health_goals", "")
    education_goals: str = model_text(CarePlan, "education_goals", "")
    psychosocial_goals: str = model_text(CarePlan, "psychosocial_goals", "")
    family_goals: str = model_text(CarePlan, "family_goals", "")
    other_goals: str = model_text(CarePlan, "other_goals", "")


class ReviewIn(Schema):
    reviewed_on: date
    progress: str = model_text(CarePlanReview, "progress")
    next_review_on: date


class ReviewOut(Schema):
    id: int
    plan_id: int
    reviewed_on: date
    progress: str
    next_review_on: date


class CarePlanOut(Schema):
    id: int
    admission_id: int
    drawn_up_on: date
    review_due_on: date
    review_overdue: bool
    health_goals: str
    education_goals: str
    psychosocial_goals: str
    family_goals: str
    other_goals: str
    reviews: list[ReviewOut]

    @staticmethod
    def resolve_reviews(plan: CarePlan) -> list:
        return list(plan.reviews.all())


class OverdueLeaveOut(LeaveOut):
    case_id: int

    @staticmethod
    def resolve_case_id(leave: LeaveOfAbsence) -> int:
        return leave.admission.case_id


class OverduePlanOut(Schema):
    id: int
    admission_id: int
    case_id: int
    review_due_on: date

    @staticmethod
    def resolve_case_id(plan: CarePlan) -> int:
        return plan.admission.case_id


@router.get(f"{A}/leaves", response=list[LeaveOut], summary="An admission's leaves of absence")
def list_leaves(request: HttpRequest, admission_id: RecordId):
    return _life(request, admission_id, "leaves of absence API").leaves


@router.post(f"{A}/leaves", response={201: LeaveOut}, summary="Record a leave of absence")
def add_leave(request: HttpRequest, admission_id: RecordId, payload: LeaveIn):
    leave = _write(request, services_life.leave_record, admission_id, **payload.dict())
    return Status(201, leave)


@router.post(
    f"{A}/leaves/{{leave_id}}/return",
    response=LeaveOut,
    summary="Record the day the child came back from leave",
)
def return_from_leave(
    request: HttpRequest, admission_id: RecordId, leave_id: RecordId, payload: LeaveReturnIn
):
    return _write(
        request, services_life.leave_return, admission_id, leave_id=leave_id, **payload.dict()
    )


@router.get(f"{A}/adverse-events", response=list[AdverseEventOut], summary="Adverse events")
def list_adverse_events(request: HttpRequest, admission_id: RecordId):
    return _life(request, admission_id, "adverse events API").adverse_events


@router.post(
    f"{A}/adverse-events",
    response={201: AdverseEventOut},
    summary="Record an adverse event (AEES escape or AEDE death ends the residence)",
)
def add_adverse_event(request: HttpRequest, admission_id: RecordId, payload: AdverseEventIn):
    event = _write(request, services_life.adverse_event_record, admission_id, **payload.dict())
    return Status(201, event)


@router.post(
    f"{A}/return",
    response={201: ReturnOut},
    summary="Record a return after escape (TARE) or temporary release (TATR): a new admission",
)
def record_return(request: HttpRequest, admission_id: RecordId, payload: ReturnIn):
    returned = _write(request, services_life.resident_return, admission_id, **payload.dict())
    return Status(201, returned)


@router.get(f"{A}/education", response=list[EducationOut], summary="Education records")
def list_education(request: HttpRequest, admission_id: RecordId):
    return _life(request, admission_id, "education API").education


@router.post(f"{A}/education", response={201: EducationOut}, summary="Record education")
def add_education(request: HttpRequest, admission_id: RecordId, payload: EducationIn):
    record = _write(request, services_life.education_record, admission_id, **payload.dict())
    return Status(201, record)


@router.get(f"{A}/conferences", response=list[ConferenceOut], summary="Case conferences")
def list_conferences(request: HttpRequest, admission_id: RecordId):
    return _life(request, admission_id, "case conferences API").conferences


@router.post(f"{A}/conferences", response={201: ConferenceOut}, summary="Record a case conference")
def add_conference(request: HttpRequest, admission_id: RecordId, payload: ConferenceIn):
    conference = _write(request, services_life.conference_record, admission_id, **payload.dict())
    return Status(201, conference)


@router.get(
    f"{A}/care-plans", response=list[CarePlanOut], summary="Individual care plans and reviews"
)
def list_care_plans(request: HttpRequest, admission_id: RecordId):
    return _life(request, admission_id, "care plans API").care_plans


@router.post(
    f"{A}/care-plans", response={201: CarePlanOut}, summary="Draw up an individual care plan"
)
def add_care_plan(request: HttpRequest, admission_id: RecordId, payload: CarePlanIn):
    plan = _write(request, services_life.care_plan_record, admission_id, **payload.dict())
    return Status(201, plan)


@router.post(
    f"{A}/care-plans/{{plan_id}}/reviews",
    response={201: ReviewOut},
    summary="Review a care plan (its next review date becomes the plan's)",
)
def add_care_plan_review(
    request: HttpRequest, admission_id: RecordId, plan_id: RecordId, payload: ReviewIn
):
    review = _write(
        request, services_life.care_plan_review, admission_id, plan_id=plan_id, **payload.dict()
    )
    return Status(201, review)


@router.get(
    "/institution/leaves-overdue",
    response=list[OverdueLeaveOut],
    summary="Residents not back from leave after the day they were due",
)
@paginate(BoundedLimitOffsetPagination)
def overdue_leaves(request: HttpRequest):
    return _run(selectors_life.leaves_overdue, actor=actor_from_request(request))


@router.get(
    "/institution/care-plan-reviews-overdue",
    response=list[OverduePlanOut],
    summary="Care plans of residents whose review is overdue",
)
@paginate(BoundedLimitOffsetPagination)
def overdue_reviews(request: HttpRequest):
    return _run(selectors_life.care_plans_review_overdue, actor=actor_from_request(request))
