"""API: interventions on a case (list, record, remove) and reopening a closed case. The
closure request (with its date and final interventions) is POST /cases/{id}/closure and
the decision on any request POST /approvals/{id}/decision (case_apps/cases/api.py)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from case_apps.cases.api import CreatedOut, RemovalIn, RemovedOut, _case, _run
from case_apps.cases.models_interventions import CaseIntervention
from case_apps.cases.selectors_interventions import case_categories, interventions_list
from case_apps.cases.services.interventions import intervention_delete, intervention_record
from case_apps.cases.services.reopening import reopening_request
from tenants.actor import actor_from_request
from tenants.api_input import Code, Reason, RecordId, model_text
from tenants.policy import Permission

router = Router(tags=["cases"])


class InterventionIn(Schema):
    category_id: RecordId
    intervention_code: Code
    date: date
    notes: str = model_text(CaseIntervention, "notes", "")


class InterventionOut(Schema):
    id: int
    category_id: int
    category_code: str = Field(..., alias="category.category_code")
    intervention_code: str
    date: date
    notes: str
    is_final: bool


class CategoryOut(Schema):
    id: int
    category_code: str
    sub_category_codes: list[str]


class ReopeningIn(Schema):
    reason: Reason
    reopened_on: date | None = None


@router.get(
    "/cases/{case_id}/categories",
    response=list[CategoryOut],
    summary="The case's categories with their ids (interventions are recorded against one)",
)
def list_categories(request: HttpRequest, case_id: RecordId):
    case = _case(request, case_id, Permission.VIEW_CASES)
    return case_categories(case)


@router.get(
    "/cases/{case_id}/interventions",
    response=list[InterventionOut],
    summary="The interventions of a case, oldest first",
)
def list_interventions(request: HttpRequest, case_id: RecordId):
    return _run(interventions_list, actor=actor_from_request(request), case_id=case_id)


@router.post(
    "/cases/{case_id}/interventions",
    response={201: CreatedOut},
    summary="Record an intervention on one of the case's categories",
)
def add_intervention(request: HttpRequest, case_id: RecordId, payload: InterventionIn):
    case = _case(request, case_id, Permission.RECORD_CASES)
    intervention = _run(
        intervention_record, case=case, actor=actor_from_request(request), **payload.dict()
    )
    return Status(201, {"id": intervention.pk})


@router.post(
    "/cases/{case_id}/interventions/{intervention_id}/removal",
    response=RemovedOut,
    summary="Remove an intervention recorded by mistake (supervisors, with a reason)",
)
def remove_intervention(
    request: HttpRequest, case_id: RecordId, intervention_id: RecordId, payload: RemovalIn
):
    case = _case(request, case_id, Permission.SUPERVISE_CASES)
    removed = _run(
        intervention_delete,
        not_found="No such intervention on this case.",
        case=case,
        actor=actor_from_request(request),
        intervention_id=intervention_id,
        reason=payload.reason,
    )
    return {"id": removed.pk}


@router.post(
    "/cases/{case_id}/reopening",
    response={201: CreatedOut},
    summary="Ask a supervisor to reopen a closed case, with the reason",
)
def request_reopening(request: HttpRequest, case_id: RecordId, payload: ReopeningIn):
    case = _case(request, case_id, Permission.RECORD_CASES)
    approval = _run(
        reopening_request, case=case, actor=actor_from_request(request), **payload.dict()
    )
    return Status(201, {"id": approval.pk})
