"""Screens of the graduation pathway: benchmark monitoring of a household, the graduation
dashboard (readiness bands and their movement), the graduation report and the exits
report by reason (each report also as CSV)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from case_apps.ovc import selectors, selectors_graduation, services_graduation
from case_apps.ovc.forms_graduation import AsOfForm, BenchmarkMonitoringForm, PeriodForm
from case_apps.ovc.views_common import actor, form_view, labels, ovc_permission
from cpims.form_errors import apply_errors
from cpims.spreadsheets import csv_lines
from tenants.policy import Permission


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def benchmark_monitoring_create(request: HttpRequest, household_id: int) -> HttpResponse:
    household = selectors.household_get(actor=actor(request), household_id=household_id)
    form = BenchmarkMonitoringForm(
        request.POST or None, initial={"monitored_on": timezone.localdate()}
    )

    def save(_data):
        services_graduation.benchmark_monitoring_record(
            actor=actor(request), household=household, **form.service_arguments()
        )

    return form_view(
        request,
        form,
        "ovc/benchmark_monitoring_form.html",
        save,
        _("Benchmark monitoring of household %(household)s recorded."),
        reverse("ovc:household", args=[household.pk]),
        {
            "household": household,
            "title": _("Benchmark monitoring"),
            "latest": selectors.cpara_latest(household=household),
        },
    )


@ovc_permission(Permission.VIEW_CASES)
@require_GET
def graduation_dashboard(request: HttpRequest) -> HttpResponse:
    form = AsOfForm(request.GET or None)
    today = timezone.localdate()
    as_of, quarters = today, 4
    if form.is_bound and form.is_valid():
        try:
            as_of = selectors_graduation.report_day(form.cleaned_data["as_of"], today=today)
            quarters = form.cleaned_data["quarters"]
        except ValidationError as error:
            apply_errors(form, error)
    board = selectors_graduation.readiness_dashboard(
        actor=actor(request), as_of=as_of, quarters=quarters
    )
    chart = {
        "bands": {
            "labels": [label for _code, label, _n in board["bands"]],
            "values": [n for _code, _label, n in board["bands"]],
        },
        "movements": {
            "labels": [m.label for m in board["movements"]],
            "series": [
                {"label": _("Moved up"), "values": [m.up for m in board["movements"]]},
                {"label": _("Stayed"), "values": [m.stayed for m in board["movements"]]},
                {"label": _("Moved down"), "values": [m.down for m in board["movements"]]},
                {"label": _("First CPARA"), "values": [m.first for m in board["movements"]]},
            ],
        },
    }
    return render(
        request,
        "ovc/graduation_dashboard.html",
        {"form": form, "board": board, "chart": chart, "tab": "graduation"},
    )


def _period(request: HttpRequest) -> tuple[PeriodForm, date, date]:
    """The report's period from the query (the current quarter when not given or wrong)."""
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    start = end = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    try:
        start, end = selectors_graduation.report_period(start, end, today=today)
    except ValidationError as error:
        apply_errors(form, error)
        start, end = selectors_graduation.report_period(None, None, today=today)
    return form, start, end


def _csv(rows, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


GRADUATION_HEADER = [
    "Section",
    "Household",
    "Child",
    "CPIMS person ID",
    "Exit date",
    "CPARA date",
    "CPARA score",
    "Active children",
]


def _graduation_rows(report: dict):
    for enrolment in report["children"]:
        cpara = enrolment.cpara
        yield [
            "graduated",
            enrolment.household.number,
            enrolment.child.full_name,
            enrolment.child.cpims_id,
            enrolment.exit_date.isoformat(),
            cpara.assessed_on.isoformat() if cpara else "",
            cpara.total if cpara else "",
            "",
        ]
    for row in report["ready"]:
        yield [
            "ready to graduate",
            row["household"].number,
            "",
            "",
            "",
            row["cpara"].assessed_on.isoformat(),
            row["cpara"].total,
            row["active"],
        ]


@ovc_permission(Permission.VIEW_CASES)
@require_GET
def graduation_report(request: HttpRequest) -> HttpResponse:
    form, start, end = _period(request)
    report = selectors_graduation.graduation_report(actor=actor(request), start=start, end=end)
    if request.GET.get("format") == "csv":
        name = f"ovc-graduation-{start.isoformat()}-{end.isoformat()}"
        return _csv([GRADUATION_HEADER, *_graduation_rows(report)], name)
    return render(
        request,
        "ovc/graduation_report.html",
        {"form": form, "report": report, "tab": "graduation", "query": _query(start, end)},
    )


def _query(start: date, end: date) -> str:
    return f"start={start.isoformat()}&end={end.isoformat()}"


def _exit_rows(report: dict):
    sexes = [code for code, _label in report["sexes"]]
    yield ["Reason code", "Reason", "Total", *sexes, *report["age_bands"]]
    for row in [*report["rows"], report["total"]]:
        yield [row.reason, row.label, row.total, *row.sexes(), *row.ages()]


@ovc_permission(Permission.VIEW_CASES)
@require_GET
def exits_report(request: HttpRequest) -> HttpResponse:
    form, start, end = _period(request)
    report = selectors_graduation.exits_report(actor=actor(request), start=start, end=end)
    if request.GET.get("format") == "csv":
        name = f"ovc-exits-{start.isoformat()}-{end.isoformat()}"
        return _csv(_exit_rows(report), name)
    drill = {key: request.GET.get(key, "")[:16] for key in ("reason", "sex", "age_band")}
    children = None
    if request.GET.get("drill"):
        try:
            children = selectors_graduation.exits_children(
                actor=actor(request), start=start, end=end, **drill
            )
        except ValidationError as error:
            apply_errors(form, error)
    return render(
        request,
        "ovc/exits_report.html",
        {
            "form": form,
            "report": report,
            "children": children,
            "drill": drill,
            "labels": labels(),
            "tab": "graduation",
            "query": _query(start, end),
        },
    )
