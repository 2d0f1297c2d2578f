"""Vacancy screens of the workspaces (issue 19, point 5). A DCS county or sub-county office
applies from a case of its own and follows its applications; a statutory institution sees
the vacancies DCS headquarters confirmed to it ("Expected admissions") and admits the child.
Anywhere else these pages answer 404. HQ's console is sharing/views_vacancies.py."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from case_apps.cases.models import CaseRecord
from case_apps.cases.views.common import case_form_view, on_case, refusals_as_pages
from case_apps.institutions import selectors_vacancies, services_vacancies
from case_apps.institutions.forms_vacancies import VacancyAdmitForm
from cpims.form_errors import apply_errors
from sharing import selectors_vacancies as shared
from sharing import services_vacancies as shared_services
from sharing.forms_vacancies import VacancyApplyForm, VacancyFilterForm, VacancyReasonForm
from sharing.models_vacancies import OPEN_VACANCY_STATUSES, VacancyStatus
from tenants.actor import actor_from_request
from tenants.decorators import workspace_permission_required
from tenants.models import OrganisationKind
from tenants.policy import Permission

PAGE_SIZE = 50


def _in_office(request: HttpRequest) -> bool:
    return shared.applies_for_vacancies(getattr(request, "organisation", None))


def _in_institution(request: HttpRequest) -> bool:
    organisation = getattr(request, "organisation", None)
    return organisation is not None and organisation.kind == OrganisationKind.STATUTORY_INSTITUTION


def only_where(door, permission: Permission):
    """404 unless ``door(request)`` (the kind of workspace), then the workspace permission
    exactly as ``workspace_permission_required`` checks it."""

    def decorator(view):
        guarded = workspace_permission_required(permission)(view)

        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not door(request):
                raise Http404
            return guarded(request, *args, **kwargs)

        return wrapped

    return decorator


def _either(request: HttpRequest) -> bool:
    return _in_office(request) or _in_institution(request)


# --- the applying office ------------------------------------------------------------------------
@only_where(_in_office, Permission.RECORD_CASES)
@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def vacancy_apply(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    return case_form_view(
        request,
        case,
        VacancyApplyForm,
        "cases/simple_form.html",
        lambda data: services_vacancies.vacancy_apply_from_case(
            actor=actor_from_request(request), case=case, **data
        ),
        lambda applied: (
            _("Vacancy application #%(n)s sent to DCS headquarters for confirmation.")
            % {"n": applied.pk}
        ),
        then=lambda applied: reverse("institutions:vacancy", args=[applied.pk]),
    )


@only_where(_in_office, Permission.VIEW_CASES)
def vacancies(request: HttpRequest) -> HttpResponse:
    """The office's applications (from cases the member sees), by status and search."""
    filters = VacancyFilterForm(request.GET or None)
    status = search = ""
    if filters.is_valid():
        status, search = filters.cleaned_data["status"], filters.cleaned_data["q"]
    found = selectors_vacancies.office_vacancies_open(
        actor=actor_from_request(request), status=status, search=search, request=request
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "institutions/vacancies.html",
        {"page": page, "filters": filters, "office": True},
    )


@only_where(_either, Permission.VIEW_CASES)
def vacancy_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    """One application: the office sees all of it and may withdraw it while open; the
    institution sees what it needs to receive the child, and admits."""
    actor = actor_from_request(request)
    application = selectors_vacancies.vacancy_open_for_member(
        actor=actor, application_id=application_id, request=request
    )
    office = shared.vacancy_side(actor, application) == shared.APPLICANT
    return render(
        request,
        "institutions/vacancy_detail.html",
        {
            "application": application,
            "age": shared.child_age(application.person),
            "office": office,
            "show_notes": office,
            "events": shared.vacancy_history(application) if office else (),
            "may_withdraw": office
            and application.status in OPEN_VACANCY_STATUSES
            and actor.may(Permission.RECORD_CASES),
            "may_admit": not office
            and application.status == VacancyStatus.CONFIRMED
            and actor.may(Permission.RECORD_CASES),
            "withdraw_form": VacancyReasonForm(),
        },
    )


@only_where(_in_office, Permission.RECORD_CASES)
@refusals_as_pages
@require_POST
def vacancy_withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    application = selectors_vacancies.vacancy_for_member(actor=actor, application_id=application_id)
    form = VacancyReasonForm(request.POST)
    if form.is_valid():
        try:
            shared_services.vacancy_withdraw(
                actor=actor, application=application, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Vacancy application withdrawn."))
            return redirect("institutions:vacancy", application_id=application.pk)
    return render(
        request,
        "institutions/vacancy_detail.html",
        {
            "application": application,
            "age": shared.child_age(application.person),
            "office": True,
            "show_notes": True,
            "events": shared.vacancy_history(application),
            "may_withdraw": True,
            "withdraw_form": form,
        },
    )


# --- the institution ----------------------------------------------------------------------------
@only_where(_in_institution, Permission.VIEW_CASES)
def vacancies_expected(request: HttpRequest) -> HttpResponse:
    """The vacancies confirmed to this institution (or those admitted), next mention first."""
    filters = VacancyFilterForm(request.GET or None)
    status = search = ""
    if filters.is_valid():
        status, search = filters.cleaned_data["status"], filters.cleaned_data["q"]
    found = selectors_vacancies.vacancies_expected_open(
        actor=actor_from_request(request), status=status, search=search, request=request
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(a, shared.child_age(a.person)) for a in page.object_list]
    return render(
        request,
        "institutions/vacancies_expected.html",
        {"page": page, "rows": rows, "filters": filters},
    )


@only_where(_in_institution, Permission.RECORD_CASES)
@refusals_as_pages
@require_http_methods(["GET", "POST"])
def vacancy_admit(request: HttpRequest, application_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    application = selectors_vacancies.vacancy_for_member(actor=actor, application_id=application_id)
    if application.status != VacancyStatus.CONFIRMED:
        messages.error(request, _("This vacancy is no longer waiting for the child."))
        return redirect("institutions:vacancy", application_id=application.pk)
    form = VacancyAdmitForm(request.POST or None, initial={"admitted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            admission = services_vacancies.vacancy_admit(
                actor=actor, application=application, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s admitted; the applying office is told.")
                % {"name": application.person.full_name},
            )
            return redirect("cases:detail", case_id=admission.case_id)
    return render(
        request,
        "institutions/vacancy_admit.html",
        {"application": application, "age": shared.child_age(application.person), "form": form},
    )
