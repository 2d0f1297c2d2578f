"""DCS headquarters' console of vacancy applications (``/console/sharing/vacancies/``): the
queue, and one application to confirm (institution, months approved) or decline with a
reason. The office's and the institution's screens need a case, so they live in
case_apps/institutions/views_vacancies.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cpims.form_errors import apply_errors
from sharing import selectors_vacancies as selectors
from sharing import services_vacancies as services
from sharing.forms_vacancies import VacancyConfirmForm, VacancyDeclineForm, VacancyFilterForm
from sharing.models_vacancies import VacancyStatus
from tenants.actor import actor_from_request
from tenants.decorators import platform_permission_required
from tenants.policy import Permission

PAGE_SIZE = 50


@platform_permission_required(Permission.CONFIRM_VACANCIES)
def console_vacancies(request: HttpRequest) -> HttpResponse:
    """The queue: applications waiting for a decision (or of another status), oldest first."""
    filters = VacancyFilterForm(request.GET or None)
    status, search = VacancyStatus.APPLIED, ""
    if filters.is_valid():
        status = filters.cleaned_data["status"] or "all"
        search = filters.cleaned_data["q"]
    if not request.GET:
        filters = VacancyFilterForm(initial={"status": VacancyStatus.APPLIED})
    applications = selectors.vacancy_queue_open(
        actor=actor_from_request(request), status=status, search=search, request=request
    )
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(a, selectors.child_age(a.person)) for a in page.object_list]
    return render(
        request,
        "sharing/vacancy_queue.html",
        {"page": page, "rows": rows, "filters": filters},
    )


@platform_permission_required(Permission.CONFIRM_VACANCIES)
def console_vacancy(request: HttpRequest, application_id: int) -> HttpResponse:
    """One application: the child, the court, the office; confirm or decline it."""
    actor = actor_from_request(request)
    application = selectors.vacancy_open(
        actor=actor, application_id=application_id, request=request
    )
    today = timezone.localdate()
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action and application.status != VacancyStatus.APPLIED:
        messages.error(
            request,
            _("This application is %(status)s; this step is not possible now.")
            % {"status": application.get_status_display().lower()},
        )
        return redirect("sharing_console:vacancy", application_id=application.pk)
    confirm = VacancyConfirmForm(
        request.POST if action == "confirm" else None,
        wanted=application.institution_type,
        initial={"decided_on": today},
    )
    decline = VacancyDeclineForm(
        request.POST if action == "decline" else None, initial={"decided_on": today}
    )
    form = {"confirm": confirm, "decline": decline}.get(action)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "confirm":
                services.vacancy_confirm(actor=actor, application=application, **data)
                done = _("Vacancy confirmed: %(institution)s expects the child.")
            else:
                services.vacancy_decline(actor=actor, application=application, **data)
                done = _("Vacancy application declined.")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            application.refresh_from_db()
            messages.success(
                request, done % {"institution": getattr(application.institution, "name", "")}
            )
            return redirect("sharing_console:vacancy", application_id=application.pk)
    return render(
        request,
        "sharing/vacancy_console.html",
        {
            "application": application,
            "age": selectors.child_age(application.person),
            "events": selectors.vacancy_history(application),
            "confirm_form": confirm,
            "decline_form": decline,
            "may_decide": application.status == VacancyStatus.APPLIED,
        },
    )
