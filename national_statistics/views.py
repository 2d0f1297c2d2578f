"""Dashboards: national, county and sub-county for DCS; the same views per organisation."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from audit.services import access_record
from case_apps.lists.selectors import list_labels
from cpims.db_router import reads_may_lag
from national_statistics import exports, services
from national_statistics.audience import (
    Audience,
    audience_on_screen,
    shows_small_counts,
)
from national_statistics.definitions import REPORTS, data_element_keys, report_build
from national_statistics.models import Dhis2Mapping, Dhis2MappingKind, ExportJob, ExportStatus
from national_statistics.periods import (
    Period,
    period_choices,
    period_default,
    period_of_months,
    period_parse,
)
from national_statistics.reports import release
from national_statistics.selectors import (
    HEADLINE_KINDS,
    TILES,
    Dashboard,
    StatisticsScope,
    child_figures,
    dashboard,
    dashboard_released,
)
from national_statistics.suppression import TOTAL
from national_statistics.tasks import build_export_task
from tenants.actor import actor_from_request
from tenants.decorators import platform_permission_required
from tenants.organisation_codes import PARENT_KIND
from tenants.policy import Permission, may

SEX_LABELS = {  # translated where shown; marked here for makemessages
    "SFEM": gettext_noop("Female"),
    "SMAL": gettext_noop("Male"),
    "SINT": gettext_noop("Intersex"),
    "": gettext_noop("Not recorded"),
}
AREA_CODE_MAX = 8
PARENT_KINDS = frozenset(PARENT_KIND.values())  # kinds that may have child organisations
REASON_MAX = 500


def _month(value: str | None) -> date | None:
    try:
        year, month = (int(part) for part in (value or "").split("-")[:2])
        return date(year, month, 1)
    except (TypeError, ValueError):
        return None


def _period(request: HttpRequest, source=None) -> Period:
    """The period chosen from the list (``period``), else a first and last month given by an
    older link (``from``/``to``), else the current government financial year."""
    source = request.GET if source is None else source
    try:
        return period_parse(source["period"])
    except (KeyError, ValueError):
        pass
    month_from, month_to = _month(source.get("from")), _month(source.get("to"))
    if month_from is None and month_to is None:
        return period_default(timezone.localdate())
    month_from = month_from or month_to
    month_to = month_to or month_from
    if month_from > month_to:
        month_from, month_to = month_to, month_from
    return period_of_months(month_from, month_to)


def _area_names(scope: StatisticsScope) -> dict[str, str]:
    """Names of the areas one level down (counties or sub-counties), from the registry."""
    from shared_registry.models import County, SubCounty

    if scope.drill_dimension == "county":
        return dict(County.objects.values_list("code", "name"))
    if scope.drill_dimension == "sub_county":
        return dict(SubCounty.objects.filter(county__code=scope.county).values_list("code", "name"))
    return {}


def _every_month(trend: dict[str, int], month_from: date, month_to: date) -> dict[str, int]:
    """The trend with a zero for every month of the period that had nothing."""
    months, month = {}, month_from
    while month <= month_to:
        key = month.strftime("%Y-%m")
        months[key] = trend.get(key, 0)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _series(labels: list[str], values: list[int | str], **extra: list) -> dict:
    """A chart's page data: numbers, and null with ``hidden`` where a count is suppressed
    (the page never receives a count the chart may not show)."""
    return {
        "labels": labels,
        "values": [value if isinstance(value, int) else None for value in values],
        "hidden": [not isinstance(value, int) for value in values],
        **extra,
    }


def _audience(request: HttpRequest, scope: StatisticsScope) -> Audience:
    return audience_on_screen(
        request.user,
        scope=scope,
        organisation=request.organisation,
        membership=getattr(request, "membership", None),
    )


def _context(request: HttpRequest, scope: StatisticsScope) -> dict:
    period = _period(request)
    month_from, month_to = period.first_month, period.last_month
    audience = _audience(request, scope)
    counted = dashboard(scope, month_from, month_to)
    counted.trend = _every_month(counted.trend, month_from, month_to)
    board = dashboard_released(counted, audience)
    categories = list_labels("case_category")
    area_names = _area_names(scope)
    trend = board.trend
    charts = {
        "trend": _series(list(trend), list(trend.values())),
        "category": _series(
            [categories.get(c, c or "—") for c in board.by_category],
            list(board.by_category.values()),
        ),
        "sex": _series(
            [_(SEX_LABELS.get(s, s)) for s in board.by_sex], list(board.by_sex.values())
        ),
        "age": _series(list(board.by_age_band), list(board.by_age_band.values())),
        "area": _series(
            [area_names.get(a, a) or "—" for a in board.by_area],
            list(board.by_area.values()),
            codes=list(board.by_area),
        ),
    }
    return {
        "audience": audience,
        "suppressed": not shows_small_counts(audience),
        "report_choices": [(key, _(d.title)) for key, d in REPORTS.items()],
        "board": board,
        "charts": charts,
        "headline": [
            (_(label), board.headline.get(kind, 0)) for kind, label in HEADLINE_KINDS.items()
        ]
        + [(_(label), board.tiles.get(key, 0)) for key, label in TILES.items()],
        "month_from": month_from.strftime("%Y-%m"),
        "month_to": month_to.strftime("%Y-%m"),
        "period": period,
        "period_query": _period_query(period),
        "period_choices": period_choices(timezone.localdate()),
        "category_rows": [(categories.get(c, c), n) for c, n in board.by_category.items()],
        "area_rows": [(code, area_names.get(code, code), n) for code, n in board.by_area.items()],
        "area_title": _area_title(scope, area_names),
    }


def _period_query(period: Period) -> str:
    """The query string that keeps the period on drill-down links."""
    if period.key:
        return urlencode({"period": period.key})
    return urlencode({"from": f"{period.first_month:%Y-%m}", "to": f"{period.last_month:%Y-%m}"})


def _area_title(scope: StatisticsScope, names: dict[str, str]) -> str:
    from shared_registry.models import County, SubCounty

    if scope.sub_county:
        name = SubCounty.objects.filter(code=scope.sub_county).values_list("name", flat=True)
        return f"{scope.sub_county} {name.first() or ''}".strip()
    if scope.county:
        name = County.objects.filter(code=scope.county).values_list("name", flat=True)
        return f"{scope.county} {name.first() or ''}".strip()
    return ""


@platform_permission_required(Permission.VIEW_NATIONAL_STATISTICS)
@reads_may_lag
def national_dashboard(request: HttpRequest) -> HttpResponse:
    county = request.GET.get("county", "")[:AREA_CODE_MAX]
    sub_county = request.GET.get("sub_county", "")[:AREA_CODE_MAX] if county else ""
    scope = StatisticsScope(county=county, sub_county=sub_county)
    return render(request, "national_statistics/dashboard.html", _context(request, scope))


@reads_may_lag
def organisation_dashboard(request: HttpRequest) -> HttpResponse:
    if not may(
        request.user,
        Permission.VIEW_CASES,
        organisation=request.organisation,
        membership=request.membership,
    ):
        return render(request, "errors/forbidden.html", status=403)
    scope = _workspace_scope(request)
    context = _context(request, scope)
    context["workspace_area"] = request.GET.get("area", "own")
    context["workspace_county"] = request.organisation.county_code
    if scope.organisation_id and request.organisation.kind in PARENT_KINDS:
        context["children"] = _children_context(request, context["period"])
    return render(request, "national_statistics/dashboard.html", context)


def _children_context(request: HttpRequest, period: Period) -> dict | None:
    """A parent's table of its child organisations' headline figures (suppressed: they cross
    the children's boundaries), or None when it has no child organisation."""
    figures = child_figures(request.organisation.pk, period.first_month, period.last_month)
    if not figures.rows:
        return None
    return {
        "labels": [_(label) for label in figures.kinds.values()],
        "rows": [
            (name, code, [values[kind] for kind in figures.kinds])
            for _pk, name, code, values in figures.rows
        ],
        "total": [figures.total[kind] for kind in figures.kinds],
    }


def _workspace_scope(request: HttpRequest) -> StatisticsScope:
    """In a workspace: the organisation's own figures, or (``area``) its county's or the
    nation's, which cross its boundary and so reach it suppressed."""
    area = request.GET.get("area", "own")
    if area == "county" and request.organisation.county_code:
        return StatisticsScope(county=request.organisation.county_code)
    if area == "national":
        return StatisticsScope()
    return StatisticsScope(organisation_id=request.organisation.pk)


# --- report screens ----------------------------------------------------------------------
def _may_view(request: HttpRequest) -> bool:
    if request.organisation is None:
        return may(request.user, Permission.VIEW_NATIONAL_STATISTICS)
    return may(
        request.user,
        Permission.VIEW_CASES,
        organisation=request.organisation,
        membership=getattr(request, "membership", None),
    )


@reads_may_lag
def report_screen(request: HttpRequest, report_key: str) -> HttpResponse:
    """One standard report on screen, for the organisation (workspace) or the nation, a
    county or a sub-county (platform), released to the reader's audience."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _may_view(request):
        return render(request, "errors/forbidden.html", status=403)
    definition = REPORTS.get(report_key)
    if definition is None:
        raise Http404
    if request.organisation is not None:
        scope = StatisticsScope(organisation_id=request.organisation.pk)
    else:
        county = request.GET.get("county", "")[:AREA_CODE_MAX]
        sub_county = request.GET.get("sub_county", "")[:AREA_CODE_MAX] if county else ""
        scope = StatisticsScope(county=county, sub_county=sub_county)
    period = _period(request)
    audience = _audience(request, scope)
    report, error = None, ""
    try:
        report = release(
            report_build(report_key, scope, period.first_month, period.last_month), audience
        )
    except ValueError as problem:
        error = str(problem)
    columns = [c for c, _ in report.columns] if report else []
    return render(
        request,
        "national_statistics/report.html",
        {
            "definition": definition,
            "title": _(definition.title),
            "report": report,
            "error": error,
            "header": [label for _, label in report.columns] if report else [],
            "lines": _report_lines(report, columns) if report else [],
            "board": Dashboard(
                scope=scope, month_from=period.first_month, month_to=period.last_month
            ),
            "area_title": _area_title(scope, {}),
            "period": period,
            "period_query": _period_query(period),
            "period_choices": period_choices(timezone.localdate()),
            "month_from": period.first_month.strftime("%Y-%m"),
            "month_to": period.last_month.strftime("%Y-%m"),
            "audience": audience,
            "suppressed": not shows_small_counts(audience),
            "report_choices": [(report_key, _(definition.title))],
        },
    )


def _report_lines(report, columns: list[str]) -> list[dict]:
    """Rows to show: code, label, cells and total; the total row after the rows it adds up."""

    def line(key: str, label: str, code: str, kind: str) -> dict:
        return {
            "code": code,
            "label": label,
            "cells": [report.cell(key, c) for c in columns],
            "total": report.cell(key, TOTAL),
            "kind": kind,
        }

    return (
        [line(k, label, k, "row") for k, label in report.rows]
        + [line(TOTAL, _("Total"), "", "total")]
        + [line(k, label, k, "beside") for k, label in report.beside_rows]
    )


# --- exports -----------------------------------------------------------------------------
def _may_export(request: HttpRequest) -> bool:
    if request.organisation is None:
        return may(request.user, Permission.VIEW_NATIONAL_STATISTICS)
    return may(
        request.user,
        Permission.VIEW_CASES,
        organisation=request.organisation,
        membership=request.membership,
    )


@require_POST
def export_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated or not _may_export(request):
        return render(request, "errors/forbidden.html", status=403)
    if request.POST.get("period"):
        try:
            period_parse(request.POST["period"])
        except ValueError:
            messages.error(request, _("Choose a period from the list."))
            return redirect(request.META.get("HTTP_REFERER") or "/statistics/")
    period = _period(request, source=request.POST)
    month_from, month_to = period.first_month, period.last_month
    county = "" if request.organisation else request.POST.get("county", "")[:AREA_CODE_MAX]
    sub_county = "" if not county else request.POST.get("sub_county", "")[:AREA_CODE_MAX]
    try:
        job = services.export_job_create(
            actor=actor_from_request(request),
            export_format=request.POST.get("export_format", ""),
            month_from=month_from,
            month_to=month_to,
            county=county,
            sub_county=sub_county,
            report=request.POST.get("report", "case_load_summary"),
            internal=request.POST.get("purpose") == "internal",
            reason=request.POST.get("reason", "")[:REASON_MAX],
            period=period.key,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(request.META.get("HTTP_REFERER") or "/statistics/")
    build_export_task.delay(job.pk)
    return redirect("statistics:export", job_id=job.pk)


def _job_for(request: HttpRequest, job_id: int) -> ExportJob:
    job = ExportJob.objects.filter(pk=job_id, requested_by_id=request.user.pk).first()
    organisation_id = request.organisation.pk if request.organisation else None
    if job is None or job.organisation_id != organisation_id:
        raise Http404
    return job


def export_status(request: HttpRequest, job_id: int) -> HttpResponse:
    """The export's progress; the page refreshes itself (htmx) until the file is ready."""
    if not request.user.is_authenticated:
        raise Http404
    job = _job_for(request, job_id)
    template = (
        "national_statistics/_export_progress.html"
        if request.htmx
        else "national_statistics/export.html"
    )
    return render(request, template, _export_context(request, job))


def _export_context(request: HttpRequest, job: ExportJob) -> dict:
    """The job, and for a missing DHIS2 mapping who can fix it: a link for the role that may
    edit the mapping (national administrators, on the platform site), a pointer otherwise."""
    return {
        "job": job,
        "mapping_missing": job.status == ExportStatus.FAILED
        and job.error.startswith(exports.MAPPING_MISSING),
        "may_edit_mapping": request.organisation is None
        and may(request.user, Permission.MANAGE_REFERENCE_LISTS),
    }


def export_download(request: HttpRequest, job_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        raise Http404
    job = _job_for(request, job_id)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404
    access_record(
        actor=request.user,
        record_kind="statistics_export",
        record_id=job.pk,
        purpose=f"{job.report} {job.export_format}",
        request=request,
    )
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file.name.rsplit("/", 1)[-1],
        content_type=exports.FORMATS[job.export_format],
    )


@platform_permission_required(Permission.VIEW_NATIONAL_STATISTICS)
def dhis2_mapping(request: HttpRequest) -> HttpResponse:
    """The DHIS2 mapping: analysts read it, national administrators edit it."""
    may_edit = may(request.user, Permission.MANAGE_REFERENCE_LISTS)
    current = "\n".join(f"{m.kind},{m.key},{m.uid}" for m in Dhis2Mapping.objects.all())
    text = request.POST.get("text", current) if request.method == "POST" else current
    errors: list[str] = []
    if request.method == "POST":
        if not may_edit:
            return render(request, "errors/forbidden.html", status=403)
        try:
            count = services.dhis2_mapping_replace(actor=actor_from_request(request), text=text)
        except ValidationError as error:
            errors = error.message_dict.get("text", error.messages)
        else:
            messages.success(
                request,
                _("%(n)d DHIS2 mappings saved: exports use them from now on.") % {"n": count},
            )
            return redirect("statistics:dhis2_mapping")
    return render(
        request,
        "national_statistics/dhis2_mapping.html",
        {
            "text": text,
            "errors": errors,
            "may_edit": may_edit,
            "kinds": Dhis2MappingKind.choices,
            "report_keys": [
                (_(definition.title), key, data_element_keys(key))
                for key, definition in REPORTS.items()
            ],
        },
    )
