"""Services delivered to an enrolled child (Form 1A): the screen, and the partner's
services-by-domain report (screen and CSV)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from case_apps.field.models import FormKind
from case_apps.field.services_staff import staff_form_submit
from case_apps.ovc.forms_plans import ServiceForm, ServicesReportForm, typed_so_far
from case_apps.ovc.panels_form1b import form1b_labels
from case_apps.ovc.panels_plans import plan_labels
from case_apps.ovc.selectors_form1b import caregiver_services_by_domain, caregivers_served_by_domain
from case_apps.ovc.selectors_plans import children_served_by_domain, services_by_domain
from case_apps.ovc.views_common import actor, enrolment_form, labels, ovc_permission
from cpims.spreadsheets import csv_lines
from tenants.policy import Permission


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def service_add(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    def save(enrolment, data):
        return staff_form_submit(
            actor=actor(request),
            kind=FormKind.SERVICE,
            target=enrolment,
            visit_date=data["date"],
            payload=data,
        )

    def form(data):
        return ServiceForm(
            data,
            domain=(request.POST or request.GET).get("domain"),
            url=request.path,
            initial=typed_so_far(request.GET),
        )

    return enrolment_form(
        request,
        enrolment_id,
        form,
        save,
        _("Record a service"),
        _("Service recorded for %(child)s."),
    )


def _period(request: HttpRequest) -> tuple[ServicesReportForm, date, date, str]:
    """The report's period from the query (this year to today unless chosen)."""
    today = timezone.localdate()
    form = ServicesReportForm(request.GET or None)
    start, end, domain = today.replace(month=1, day=1), today, ""
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        domain = form.cleaned_data["domain"]
    elif not request.GET:
        form = ServicesReportForm(initial={"start": start, "end": end})
    return form, start, end, domain


@ovc_permission(Permission.VIEW_CASES)
@require_GET
def services_report(request: HttpRequest) -> HttpResponse:
    """Services and children served per domain and service code in a period."""
    form, start, end, domain = _period(request)
    rows = (
        []
        if form.errors
        else services_by_domain(actor=actor(request), start=start, end=end, domain=domain)
    )
    form1b_rows = (
        []
        if form.errors
        else caregiver_services_by_domain(actor=actor(request), start=start, end=end, domain=domain)
    )
    if request.GET.get("format") == "csv" and not form.errors:
        return _csv(request, rows, form1b_rows, start, end)
    children = (
        {} if form.errors else children_served_by_domain(actor=actor(request), start=start, end=end)
    )
    caregivers = (
        {}
        if form.errors
        else caregivers_served_by_domain(actor=actor(request), start=start, end=end)
    )
    return render(
        request,
        "ovc/services_report.html",
        {
            "form": form,
            "rows": rows,
            "children": children,
            "form1b_rows": form1b_rows,
            "caregivers": caregivers,
            "form1b_labels": form1b_labels(),
            "start": start,
            "end": end,
            "labels": labels(),
            "plan_labels": plan_labels(),
            "query": request.GET.urlencode(),
        },
    )


def _csv(request: HttpRequest, rows, form1b_rows, start: date, end: date) -> StreamingHttpResponse:
    domain_labels, service_labels, f1b_labels = labels(), plan_labels(), form1b_labels()
    header = ["Domain", "Service code", "Service", "Services delivered", "Children served"]
    table = [
        header,
        *(
            [
                domain_labels.of("domain", row.domain),
                row.service,
                service_labels.of("service", row.service) if row.service else "",
                row.services,
                row.children,
            ]
            for row in rows
        ),
    ]
    if form1b_rows:  # Form 1B: services to caregivers, after a blank line with its own header
        form1b_header = ["Domain", "Form 1B service code", "Service"]
        table += [[], [*form1b_header, "Services delivered", "Caregivers served"]]
        table += [
            [
                domain_labels.of("domain", row.domain),
                row.service,
                f1b_labels.of("service", row.service),
                row.services,
                row.caregivers,
            ]
            for row in form1b_rows
        ]
    lines = csv_lines(table)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    name = f"services-by-domain-{request.organisation.slug}-{start:%Y%m%d}-{end:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
