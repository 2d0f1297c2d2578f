"""Education bursaries: awards, applications and their approval chain, the list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from case_apps.cases import confirmations, selectors, selectors_bursaries, services
from case_apps.cases.forms import BursaryForm
from case_apps.cases.forms_bursary import (
    BursaryApplicationForm,
    BursaryFilterForm,
    BursaryStepForm,
)
from case_apps.cases.models import CaseRecord
from case_apps.cases.models_bursary import SIGN_OFF_STEPS, BursaryStepKind, step_label
from case_apps.cases.presenters import case_labels
from case_apps.cases.services.bursaries import bursary_application_record, bursary_step_record
from case_apps.cases.views.common import case_form_view, on_case, refusals_as_pages
from cpims.form_errors import apply_errors
from tenants.actor import actor_from_request
from tenants.decorators import workspace_permission_required
from tenants.policy import Permission


def case_page_bursaries(request: HttpRequest, case: CaseRecord, *, may_record: bool) -> dict:
    """The case page's bursary panel: the child's awards and applications on this case, and
    who may record the next steps (case_apps/cases/views/caseload.py)."""
    actor = actor_from_request(request)
    return {
        "bursary_record": selectors_bursaries.case_bursaries(case),
        "may_approve_bursaries": may_record
        and selectors.actor_may_on_case(actor, Permission.APPROVE_BURSARIES, case),
    }


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def bursary_create(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    def save(data):
        return services.bursary_award_record(case=case, actor=actor_from_request(request), **data)

    return case_form_view(
        request,
        case,
        BursaryForm,
        "cases/simple_form.html",
        save,
        lambda award: confirmations.bursary_recorded(case, award),
    )


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def bursary_apply(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    def save(data):
        return bursary_application_record(case=case, actor=actor_from_request(request), **data)

    def said(application) -> str:
        return _("Application for a %(bursary)s of %(year)s recorded on case %(ref)s.") % {
            "bursary": case_labels().of("bursary_type", application.bursary_type),
            "year": application.year,
            "ref": case.national_reference,
        }

    return case_form_view(
        request, case, BursaryApplicationForm, "cases/simple_form.html", save, said
    )


def _step_said(application, step) -> str:
    outcome = _("yes") if step.recommended else _("no")
    return _("%(step)s of %(date)s recorded (%(outcome)s): the application is %(status)s.") % {
        "step": step_label(step.kind, application.bursary_type),
        "date": date_format(step.on),
        "outcome": outcome,
        "status": application.get_status_display().lower(),
    }


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def bursary_step(
    request: HttpRequest, case: CaseRecord, application_id: int, step: str
) -> HttpResponse:
    """Record one step of an application's chain (the service says who may, and in which
    order); the page shows the application and its trail above the form."""
    if step not in BursaryStepKind.values:
        raise Http404
    actor = actor_from_request(request)
    permission = Permission.APPROVE_BURSARIES if step in SIGN_OFF_STEPS else Permission.RECORD_CASES
    application = selectors_bursaries.bursary_application_get(
        actor=actor, application_id=application_id, permission=permission
    )
    if application.case_id != case.pk:
        raise Http404
    heading = step_label(step, application.bursary_type)
    form = BursaryStepForm(
        request.POST or None, step=step, bursary_type=application.bursary_type, heading=heading
    )
    if request.method == "POST" and form.is_valid():
        try:
            recorded = bursary_step_record(
                application=application, actor=actor, step=step, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _step_said(recorded.application, recorded))  # as now
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "cases/bursary_step.html",
        {
            "form": form,
            "case": case,
            "item": selectors_bursaries.application_view(application),
            "labels": case_labels(),
        },
    )


@workspace_permission_required(Permission.VIEW_CASES)
@refusals_as_pages
def bursary_list(request: HttpRequest) -> HttpResponse:
    """Bursary applications on the member's cases, searchable and filterable."""
    form = BursaryFilterForm(request.GET or None)
    filters = selectors_bursaries.BursaryFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors_bursaries.BursaryFilters(
            search=data["q"],
            status=data["status"],
            bursary_type=data["bursary_type"],
            school=data["school"],
            year=data["year"],
        )
    applications = selectors_bursaries.bursary_applications(
        actor=actor_from_request(request), filters=filters
    )
    page = Paginator(applications, 25).get_page(request.GET.get("page"))
    page.object_list = [selectors_bursaries.application_view(a) for a in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/bursary_list.html",
        {"form": form, "page": page, "labels": case_labels(), "query": query},
    )
