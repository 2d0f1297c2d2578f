"""Admission screens (issue 19): admit on a case (from an accepted referral or transfer), admit
directly or on a court committal (find or register the child first), the admission's page,
the discharge and undoing it. Thin: the rules are in services_admissions.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from case_apps.cases import selectors
from case_apps.cases.forms_child import (
    ChildSearchForm,
    TooManyLookups,
    person_from_search,
    too_many_lookups,
)
from case_apps.cases.models import CaseRecord
from case_apps.cases.presenters import case_labels
from case_apps.cases.services.record_sheet import CategoryInput
from case_apps.cases.views.common import on_case, refusals_as_pages
from case_apps.institutions import selectors_admissions as read
from case_apps.institutions import services_admissions as services
from case_apps.institutions.forms_admissions import (
    AdmissionForm,
    DirectAdmissionForm,
    DischargeForm,
    DischargeUndoForm,
)
from cpims.form_errors import apply_errors
from tenants.actor import actor_from_request
from tenants.decorators import workspace_permission_required
from tenants.policy import Permission

DETAILS = (
    "admission_number",
    "is_emergency",
    "committal_order_number",
    "committal_court",
    "committal_on",
    "committal_period",
    "committal_period_unit",
    "ob_number",
    "holding_period_days",
    "expected_exit_on",
    "free_for_adoption",
    "notes",
)


def _day(value) -> str:
    return formats.date_format(value, "j M Y")


def _admitted(request: HttpRequest, admission) -> HttpResponse:
    messages.success(
        request,
        _("%(child)s admitted on %(d)s.")
        % {"child": admission.case.child.full_name, "d": _day(admission.admitted_on)},
    )
    return redirect("institutions:admission", admission_id=admission.pk)


def _details(data: dict) -> dict:
    return {name: data.get(name) for name in DETAILS}


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def admit_case(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    """Admit the child of one of our cases: from the referral or transfer that opened it when
    there is one, otherwise directly (or by court committal when an order is named)."""
    actor = actor_from_request(request)
    referral = read.accepted_referral(request.organisation, case.pk)
    residence = read.residence_of(case.child_id, request.organisation)
    initial = {"admission_type": "TRIN"} if referral and referral.kind == "transfer" else {}
    vacancy = read.vacancy_confirmed_here(case.child_id, request.organisation) if referral else None
    if vacancy is not None:  # the court details and months HQ approved, as a vacancy admission
        initial.update(read.vacancy_committal(vacancy))
    form = AdmissionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source, extra = read.case_source(
            request.organisation, case.pk, court=bool(data.get("committal_order_number"))
        )
        try:
            admission = services.admission_record(
                actor=actor,
                case=case,
                admitted_on=data["admitted_on"],
                admission_type=data["admission_type"],
                admission_reason=data["admission_reason"],
                source=source,
                **_details(data),
                **extra,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _admitted(request, admission)
    return render(
        request,
        "institutions/admit_case.html",
        {
            "form": form,
            "case": case,
            "referral": referral,
            "residence": residence,
            "vacancy": vacancy,
        },
    )


@workspace_permission_required(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def admit(request: HttpRequest) -> HttpResponse:
    """A child admitted directly or on a court committal: find or register the child in the
    registry (the case screens' search), then the admission opens the institution's case."""
    person_id = request.GET.get("child")
    if not person_id:
        return _find_child(request)
    ref = request.GET.get("ref", "")
    actor = actor_from_request(request)
    child = selectors.child_get(actor=actor, person_id=person_id, ref=ref, request=request)
    form = DirectAdmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            admission = services.admission_open(
                actor=actor,
                child=child,
                admitted_on=data["admitted_on"],
                admission_type=data["admission_type"],
                admission_reason=data["admission_reason"],
                source=data["source"],
                categories=[CategoryInput(category_code=data["case_category"])],
                **_details(data),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _admitted(request, admission)
    residence = read.residence_of(child.pk, request.organisation)
    return render(
        request,
        "institutions/admit_form.html",
        {"form": form, "child": child, "residence": residence},
    )


def _find_child(request: HttpRequest) -> HttpResponse:
    form = ChildSearchForm(request.POST or None)
    candidates = None
    if request.method == "POST" and form.is_valid():
        try:
            child, candidates = person_from_search(request, form)
        except TooManyLookups:
            return too_many_lookups(request)
        if child is not None:
            return redirect(f"{request.path}?child={child.pk}")
    return render(request, "institutions/admit.html", {"form": form, "candidates": candidates})


@workspace_permission_required(Permission.VIEW_CASES)
@require_GET
@refusals_as_pages
def admission(request: HttpRequest, admission_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    found = read.admission_open(actor=actor, admission_id=admission_id, request=request)
    return render(
        request,
        "institutions/admission.html",
        {
            "admission": found,
            "case": found.case,
            "labels": case_labels(),
            "overstay": read.is_overstay(found),
            "residence": read.residence_of(found.case.child_id, request.organisation),
            "may_record": actor.may(Permission.RECORD_CASES) and found.case.is_open,
            "may_supervise": actor.may(Permission.SUPERVISE_CASES),
        },
    )


@workspace_permission_required(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def discharge(request: HttpRequest, admission_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    found = read.admission_get(
        actor=actor, admission_id=admission_id, permission=Permission.RECORD_CASES
    )
    form = DischargeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resident_discharge(actor=actor, admission=found, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(child)s discharged on %(d)s.")
                % {
                    "child": found.case.child.full_name,
                    "d": _day(form.cleaned_data["discharged_on"]),
                },
            )
            return redirect("institutions:admission", admission_id=found.pk)
    return render(
        request,
        "institutions/discharge.html",
        {"form": form, "admission": found, "case": found.case},
    )


@workspace_permission_required(Permission.SUPERVISE_CASES)
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def discharge_undo(request: HttpRequest, admission_id: int) -> HttpResponse:
    """A supervisor takes back a discharge entered by mistake."""
    actor = actor_from_request(request)
    found = read.admission_get(
        actor=actor, admission_id=admission_id, permission=Permission.SUPERVISE_CASES
    )
    form = DischargeUndoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.discharge_undo(
                actor=actor, admission=found, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The discharge was undone: the child is resident again."))
            return redirect("institutions:admission", admission_id=found.pk)
    return render(
        request,
        "institutions/discharge_undo.html",
        {"form": form, "admission": found, "case": found.case},
    )
