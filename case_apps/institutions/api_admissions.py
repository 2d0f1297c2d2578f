"""API of the institution's admissions (issue 19), calling the same services, selectors and policy
as the screens: admit on a case, admit directly or on a court committal (the child by registry
id), read an admission, discharge. Bad input is a 422 naming the field; nothing is half-saved."""

from datetime import date

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from case_apps.cases import selectors
from case_apps.cases.api import _run
from case_apps.cases.services.record_sheet import CategoryInput
from case_apps.institutions import selectors_admissions as read
from case_apps.institutions import services_admissions as services
from case_apps.institutions.models import Admission, AdmissionSource
from tenants.actor import actor_from_request
from tenants.api_errors import api_require
from tenants.api_input import Code, RecordId, model_text, whole_number
from tenants.policy import Permission

router = Router(tags=["institutions"])
NOT_FOUND = "No such admission on a case of yours."


CommittalMonths = whole_number(1, 999)
HoldingDays = whole_number(1, 3650)


class AdmissionIn(Schema):
    admitted_on: date
    admission_type: Code
    admission_reason: Code
    admission_number: str = model_text(Admission, "admission_number", "")
    is_emergency: bool = False
    committal_order_number: str = model_text(Admission, "committal_order_number", "")
    committal_court: str = model_text(Admission, "committal_court", "")
    committal_on: date | None = None
    committal_period: CommittalMonths | None = None
    committal_period_unit: str = Field("", max_length=8, description="days, months or years")
    ob_number: str = model_text(Admission, "ob_number", "")
    holding_period_days: HoldingDays | None = None
    expected_exit_on: date | None = Field(
        None, description="Only without a committal period (the period gives it)."
    )
    free_for_adoption: bool = False
    notes: str = Field("", max_length=2000)


class DirectAdmissionIn(AdmissionIn):
    child_id: RecordId = Field(description="The child's registry id (a person).")
    ref: str = Field(
        "",
        max_length=500,
        description="The registry search's ref, for a child this organisation holds no record on.",
    )
    source: str = Field(AdmissionSource.DIRECT, max_length=16, description="direct or court")
    case_category: Code


class AdmissionOut(Schema):
    id: int
    case_id: int
    child_id: int
    admission_number: str
    admitted_on: date
    admission_type: str
    admission_reason: str
    source: str
    referral_id: int | None
    is_emergency: bool
    committal_order_number: str
    committal_court: str
    committal_on: date | None
    committal_period: int | None
    committal_period_unit: str
    ob_number: str
    holding_period_days: int | None
    expected_exit_on: date | None
    overstay: bool
    residential_status: str
    discharged_on: date | None
    discharge_type: str

    @staticmethod
    def resolve_child_id(admission: Admission) -> int:
        return admission.case.child_id

    @staticmethod
    def resolve_overstay(admission: Admission) -> bool:
        return read.is_overstay(admission)


class DischargeIn(Schema):
    discharge_type: Code
    discharged_on: date
    notes: str = Field("", max_length=2000)


@router.post(
    "/institution/cases/{case_id}/admissions",
    response={201: AdmissionOut},
    summary="Admit the child of one of our cases (from the referral or transfer that opened it)",
)
def admit_on_case(request: HttpRequest, case_id: RecordId, payload: AdmissionIn):
    actor = actor_from_request(request)
    case = _run(
        selectors.case_get, actor=actor, case_id=case_id, permission=Permission.RECORD_CASES
    )
    source, extra = read.case_source(
        request.organisation, case.pk, court=bool(payload.committal_order_number)
    )
    admission = _run(
        services.admission_record,
        actor=actor,
        case=case,
        source=source,
        **payload.dict(),
        **extra,
    )
    return Status(201, admission)


@router.post(
    "/institution/admissions",
    response={201: AdmissionOut},
    summary="Admit a child directly or on a court committal (opens the institution's case)",
)
def admit_directly(request: HttpRequest, payload: DirectAdmissionIn):
    api_require(request, Permission.RECORD_CASES)
    actor = actor_from_request(request)
    child = _run(
        selectors.child_get,
        not_found="No such child.",
        actor=actor,
        person_id=payload.child_id,
        ref=payload.ref,
        request=request,
    )
    data = payload.dict(exclude={"child_id", "ref", "case_category"})
    if data["source"] not in (AdmissionSource.DIRECT, AdmissionSource.COURT):
        data["source"] = "invalid"  # the service names the field
    admission = _run(
        services.admission_open,
        actor=actor,
        child=child,
        categories=[CategoryInput(category_code=payload.case_category)],
        **data,
    )
    return Status(201, admission)


@router.get("/institution/admissions/{admission_id}", response=AdmissionOut, summary="An admission")
def get_admission(request: HttpRequest, admission_id: RecordId):
    return _run(
        read.admission_open,
        not_found=NOT_FOUND,
        actor=actor_from_request(request),
        admission_id=admission_id,
        purpose="admission API",
        request=request,
    )


@router.post(
    "/institution/admissions/{admission_id}/discharge",
    response=AdmissionOut,
    summary="Discharge: ends the residence",
)
def discharge(request: HttpRequest, admission_id: RecordId, payload: DischargeIn):
    actor = actor_from_request(request)
    admission = _run(
        read.admission_get,
        not_found=NOT_FOUND,
        actor=actor,
        admission_id=admission_id,
        permission=Permission.RECORD_CASES,
    )
    return _run(services.resident_discharge, actor=actor, admission=admission, **payload.dict())
