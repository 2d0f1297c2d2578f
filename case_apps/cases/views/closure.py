"""Closure requests, the supervisor's approvals queue and decisions, moving a case to
another officer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from case_apps.cases import confirmations, selectors, selectors_interventions, services
from case_apps.cases.forms import ClosureRequestForm, DecisionForm, ReassignForm
from case_apps.cases.models import CaseRecord
from case_apps.cases.presenters import approval_lines, case_labels
from case_apps.cases.services.approvals import closure_request
from case_apps.cases.views import lists
from case_apps.cases.views.common import (
    case_form_view,
    caseload_officers,
    on_case,
    refusals_as_pages,
)
from cpims.form_errors import apply_errors
from tenants.actor import actor_from_request
from tenants.decorators import workspace_permission_required
from tenants.policy import Permission


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def closure_request_create(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    """The closure request: reason, closure date and the final intervention of each of the
    case's categories (closure_request in case_apps/cases/services/approvals.py)."""
    labels = case_labels()
    form = ClosureRequestForm(
        request.POST or None,
        categories=selectors_interventions.case_categories(case),
        labels=labels,
    )
    if request.method == "POST" and form.is_valid():
        try:
            closure_request(
                case=case, actor=actor_from_request(request), **form.service_arguments()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, confirmations.closure_requested(case))
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request, "cases/closure_request.html", {"form": form, "case": case, "labels": labels}
    )


@on_case(Permission.SUPERVISE_CASES)
@require_http_methods(["GET", "POST"])
def case_reassign(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    officers = {u.pk: u for u in caseload_officers(request)}

    def save(data):
        officer = officers[data["officer"]]
        services.case_reassign(
            case=case, actor=actor_from_request(request), officer=officer, reason=data["reason"]
        )
        return officer

    return case_form_view(
        request,
        case,
        ReassignForm,
        "cases/simple_form.html",
        save,
        lambda officer: confirmations.case_reassigned(case, officer),
        officers=officers.values(),
    )


@workspace_permission_required(Permission.SUPERVISE_CASES)
def approvals(request: HttpRequest) -> HttpResponse:
    return lists.approvals_page(request)  # search and filters: case_apps/cases/views/lists.py


@workspace_permission_required(Permission.SUPERVISE_CASES)
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def approval_decide(request: HttpRequest, approval_id: int) -> HttpResponse:
    approval = selectors.approval_waiting_get(
        actor=actor_from_request(request), approval_id=approval_id
    )
    labels = case_labels()
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decided = services.approval_decide(
                approval=approval,
                actor=actor_from_request(request),
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, confirmations.approval_decided(decided))
            return redirect("cases:approvals")
    return render(
        request,
        "cases/approval_decide.html",
        {
            "approval": approval,
            "form": form,
            "labels": labels,
            "case": approval.case,
            "plan": approval.case_plan,
            "request_lines": approval_lines(approval, approval.case, labels),
        },
    )
