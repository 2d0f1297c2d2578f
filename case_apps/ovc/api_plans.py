"""API of the OVC programme: case plans, services delivered and the services-by-domain
report (issue 18), calling the same services, selectors and policy as the screens.
Shared helpers in case_apps/ovc/api.py."""

from datetime import date
from functools import partial

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from case_apps.lists.data_ovc_plans import DOMAINS
from case_apps.ovc import selectors_form1b, selectors_plans
from case_apps.ovc.api import enrolment_for, household_for, ovc_actor, run
from case_apps.ovc.models import CasePlanItem, ServiceRecord
from case_apps.ovc.services_case_plans import case_plan_item_add, case_plan_item_complete
from case_apps.ovc.services_delivered import service_record
from tenants.api_errors import api_invalid
from tenants.api_input import (
    BoundedLimitOffsetPagination,
    Code,
    Codes,
    RecordId,
    model_text,
)
from tenants.policy import Permission

router = Router(tags=["ovc"])


class CasePlanItemIn(Schema):
    domain: Code
    goal: Code
    gap: Code
    priority: Code = ""
    services: Codes
    responsible: str = model_text(CasePlanItem, "responsible")
    due_date: date | None = None
    enrolment_id: RecordId | None = Field(
        None, description="The enrolled child the line is for (none: the whole household)."
    )


class CasePlanItemOut(Schema):
    id: int
    domain: str
    enrolment_id: int | None
    goal: str
    gap: str
    priority: str
    services: list[str]
    goal_text: str
    need_text: str
    services_text: str
    responsible: str
    due_date: date | None
    completed_on: date | None
    achieved: bool | None
    result_notes: str


class DomainProgressOut(Schema):
    domain: str
    items: int
    achieved: int
    not_achieved: int
    overdue: int


class CasePlanOut(Schema):
    items: list[CasePlanItemOut]
    progress: list[DomainProgressOut]


class ResultIn(Schema):
    completed_on: date
    achieved: bool
    result_notes: str = model_text(CasePlanItem, "result_notes", "")


class ServiceIn(Schema):
    domain: Code
    service: Code
    provider: str = model_text(ServiceRecord, "provider")
    place: str = model_text(ServiceRecord, "place", "")
    date: date


class ServiceOut(Schema):
    id: int
    domain: str
    service: str
    service_text: str
    provider: str
    place: str
    date: date


class ReportQuery(Schema):
    start: date
    end: date
    domain: Code = ""


class ServiceCountOut(Schema):
    domain: str
    service: str
    services: int
    children: int


class CaregiverServiceCountOut(Schema):
    domain: str
    service: str
    services: int
    caregivers: int


class ServicesReportOut(Schema):
    start: date
    end: date
    rows: list[ServiceCountOut]
    children_by_domain: dict[str, int]
    caregiver_rows: list[CaregiverServiceCountOut] = Field(
        description="Form 1B: services to caregivers per domain and code"
    )
    caregivers_by_domain: dict[str, int]


@router.get(
    "/ovc/households/{household_id}/case-plan",
    response=CasePlanOut,
    summary="A household's case plan and its progress per domain",
)
def case_plan(request: HttpRequest, household_id: RecordId):
    _actor, household = household_for(request, household_id)
    return {
        "items": list(selectors_plans.case_plan_items(household)),
        "progress": selectors_plans.case_plan_progress(household),
    }


@router.post(
    "/ovc/households/{household_id}/case-plan",
    response={201: CasePlanItemOut},
    summary="Add a coded line to a household's case plan",
)
def case_plan_add(request: HttpRequest, household_id: RecordId, payload: CasePlanItemIn):
    actor, household = household_for(request, household_id, Permission.RECORD_CASES)
    data = payload.dict()
    enrolment_id = data.pop("enrolment_id")
    if enrolment_id is not None and not household.enrolments.filter(pk=enrolment_id).exists():
        raise api_invalid_field("enrolment_id", "This child is not in the household.")
    item = run(case_plan_item_add, actor=actor, household=household, enrolment=enrolment_id, **data)
    return Status(201, item)


@router.post(
    "/ovc/households/{household_id}/case-plan/{item_id}/result",
    response=CasePlanItemOut,
    summary="Record a case plan line's result: achieved, or not achieved with the reason",
)
def case_plan_result(
    request: HttpRequest, household_id: RecordId, item_id: RecordId, payload: ResultIn
):
    actor, household = household_for(request, household_id, Permission.RECORD_CASES)
    return run(
        case_plan_item_complete, actor=actor, item=item_id, household=household, **payload.dict()
    )


@router.get(
    "/ovc/children/{enrolment_id}/services",
    response=list[ServiceOut],
    summary="The services delivered to an enrolled child, latest first",
)
@paginate(BoundedLimitOffsetPagination)
def child_services(request: HttpRequest, enrolment_id: RecordId):
    _actor, enrolment = enrolment_for(request, enrolment_id)
    return enrolment.services.all()


@router.post(
    "/ovc/children/{enrolment_id}/services",
    response={201: ServiceOut},
    summary="Record a service (a code of its domain's national list) delivered to a child",
)
def child_service_add(request: HttpRequest, enrolment_id: RecordId, payload: ServiceIn):
    actor, enrolment = enrolment_for(request, enrolment_id, Permission.RECORD_CASES)
    record = partial(service_record, actor=actor, enrolment=enrolment, **payload.dict())
    return Status(201, run(record))


@router.get(
    "/ovc/reports/services-by-domain",
    response=ServicesReportOut,
    summary="Services delivered and children served per domain and service code",
)
def services_report(request: HttpRequest, query: Query[ReportQuery]):
    actor = ovc_actor(request)
    if query.start > query.end:
        raise api_invalid_field("end", "The end of the period is before its start.")
    if query.domain and query.domain not in DOMAINS:
        raise api_invalid_field("domain", f"Unknown code “{query.domain}”.")
    return {
        "start": query.start,
        "end": query.end,
        "rows": selectors_plans.services_by_domain(
            actor=actor, start=query.start, end=query.end, domain=query.domain
        ),
        "children_by_domain": selectors_plans.children_served_by_domain(
            actor=actor, start=query.start, end=query.end
        ),
        "caregiver_rows": selectors_form1b.caregiver_services_by_domain(
            actor=actor, start=query.start, end=query.end, domain=query.domain
        ),
        "caregivers_by_domain": selectors_form1b.caregivers_served_by_domain(
            actor=actor, start=query.start, end=query.end
        ),
    }


def api_invalid_field(field: str, message: str):
    """A 422 naming one field."""
    return api_invalid(ValidationError({field: [message]}))
