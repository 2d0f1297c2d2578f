"""API: bursary applications and their approval chain (the same services, selectors and
policy as the screens, case_apps/cases/views/bursaries.py)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import WithJsonSchema

from case_apps.cases import selectors_bursaries
from case_apps.cases.api import _case, _run
from case_apps.cases.models_bursary import BursaryApplication, BursaryStep
from case_apps.cases.services.bursaries import bursary_application_record, bursary_step_record
from tenants.actor import actor_from_request
from tenants.api_input import (
    CODE_MAX_LENGTH,
    SEARCH_MAX_LENGTH,
    BoundedLimitOffsetPagination,
    ClientUuid,
    RecordId,
    Year,
    model_text,
)
from tenants.client_ids import was_replayed
from tenants.policy import Permission

router = Router(tags=["cases"])
MAX_KES = Decimal("99999999.99")
# Shillings with cents, bounded like the model's columns (10 digits, 2 decimals).
Money = Annotated[
    Decimal,
    Field(le=MAX_KES, max_digits=10, decimal_places=2),
    WithJsonSchema({"type": "number", "maximum": float(MAX_KES)}),
]
NOT_FOUND = "No such bursary application on a case of yours."


class ApplicationIn(Schema):
    uuid: ClientUuid | None = Field(
        None,
        description="The client's own id for this application: a repeat with the same uuid "
        "and content answers 200 and writes nothing; other content is a 422 naming uuid.",
    )
    bursary_type: str = model_text(BursaryApplication, "bursary_type")
    year: Year
    school_code: str = model_text(
        BursaryApplication,
        "school_code",
        "",
        description="The school's NEMIS code in the national schools registry (its name is "
        "then the registry's); leave blank and give school_name when it is not there.",
    )
    school_name: str = model_text(BursaryApplication, "school_name", "")
    nemis_upi: str = model_text(BursaryApplication, "nemis_upi", "")
    class_level: str = model_text(BursaryApplication, "class_level")
    annual_fees_kes: Money
    fee_balance_kes: Money
    parents_status: str = model_text(BursaryApplication, "parents_status")
    family_situation: str = model_text(BursaryApplication, "family_situation", "")
    applied_on: date


class StepIn(Schema):
    step: str = model_text(
        BursaryStep,
        "kind",
        description="principal, chief, sub_county (signed by you) or committee, in that order "
        "for a Presidential bursary (BPRE); committee alone for the other types.",
    )
    on: date
    recommended: bool
    signatory_name: str = model_text(
        BursaryStep,
        "signatory_name",
        "",
        description="The principal's, the chief's or the committee chair's name.",
    )
    comment: str = model_text(BursaryStep, "comment", "")
    approved_amount_kes: Money | None = None


class StepOut(Schema):
    kind: str
    signatory_name: str
    on: date
    recommended: bool
    comment: str
    approved_amount_kes: Decimal | None
    recorded_by_id: int
    recorded_at: datetime


class ApplicationOut(Schema):
    id: int
    uuid: UUID
    case_id: int
    bursary_type: str
    year: int
    school_code: str
    school_name: str
    nemis_upi: str
    class_level: str
    annual_fees_kes: Decimal
    fee_balance_kes: Decimal
    parents_status: str
    applied_on: date
    status: str
    steps: list[StepOut]
    next_step: str | None

    @staticmethod
    def resolve_steps(application: BursaryApplication) -> list[BursaryStep]:
        return list(application.steps.all())

    @staticmethod
    def resolve_next_step(application: BursaryApplication) -> str | None:
        step = selectors_bursaries.application_view(application).next_step
        return step.kind if step else None


def _application(request: HttpRequest, application_id: int) -> BursaryApplication:
    return _run(
        selectors_bursaries.bursary_application_get,
        not_found=NOT_FOUND,
        actor=actor_from_request(request),
        application_id=application_id,
    )


@router.get(
    "/bursary-applications",
    response=list[ApplicationOut],
    summary="Bursary applications on your cases (search, status, type, school, year)",
)
@paginate(BoundedLimitOffsetPagination)
def list_applications(
    request: HttpRequest,
    q: str = Query("", max_length=SEARCH_MAX_LENGTH),
    status: str = Query("", max_length=CODE_MAX_LENGTH),
    bursary_type: str = Query("", max_length=CODE_MAX_LENGTH),
    school: str = Query("", max_length=SEARCH_MAX_LENGTH),
    year: int | None = Query(None, ge=1900, le=2200),
):
    filters = selectors_bursaries.BursaryFilters(
        search=q, status=status, bursary_type=bursary_type, school=school, year=year
    )
    return _run(
        selectors_bursaries.bursary_applications,
        actor=actor_from_request(request),
        filters=filters,
    )


@router.get(
    "/bursary-applications/{application_id}",
    response=ApplicationOut,
    summary="One bursary application with its chain",
)
def get_application(request: HttpRequest, application_id: RecordId):
    return _application(request, application_id)


@router.post(
    "/cases/{case_id}/bursary-applications",
    response={201: ApplicationOut, 200: ApplicationOut},
    summary="Apply for a bursary for the case's child (200: the same uuid and content again)",
)
def apply(request: HttpRequest, case_id: RecordId, payload: ApplicationIn):
    case = _case(request, case_id, Permission.RECORD_CASES)
    application = _run(
        bursary_application_record,
        case=case,
        actor=actor_from_request(request),
        **payload.dict(),
    )
    return Status(200 if was_replayed(application) else 201, application)


@router.post(
    "/bursary-applications/{application_id}/steps",
    response={201: ApplicationOut},
    summary="Record the next step of an application's approval chain",
)
def record_step(request: HttpRequest, application_id: RecordId, payload: StepIn):
    """Steps out of order, twice, or after a negative step are a 422 naming ``step``; the
    sub-county sign-off and the committee's decision need the right to approve bursaries."""
    _run(
        bursary_step_record,
        not_found=NOT_FOUND,
        application=application_id,
        actor=actor_from_request(request),
        **payload.dict(),
    )
    return Status(201, _application(request, application_id))
