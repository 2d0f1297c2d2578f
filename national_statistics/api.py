"""Statistics API (django-ninja): the standard reports as JSON, released to the caller's
audience by the same rule as the screens and exports (national_statistics.audience).

``workspace_router``: a member reads its organisation's own figures as they are, and its
county's or the nation's suppressed. ``platform_router``: DCS analysts read national,
county and sub-county figures as they are; other platform roles with statistics read them
suppressed.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from ninja.security import django_auth

from cpims.db_router import lagging_reads
from national_statistics.audience import audience_on_screen, shows_small_counts
from national_statistics.definitions import REPORTS, report_build
from national_statistics.periods import Period, period_default, period_parse
from national_statistics.reports import Report, release
from national_statistics.selectors import StatisticsScope
from national_statistics.suppression import TOTAL
from tenants.api_errors import InvalidOut, api_invalid, api_require, api_require_platform
from tenants.policy import Permission

workspace_router = Router(tags=["statistics"])
platform_router = Router(tags=["statistics"], auth=django_auth)
AREAS = ("own", "county", "national")
CODE_MAX = 8
KEY_MAX = 32


class ErrorOut(Schema):
    detail: str


class ReportKindOut(Schema):
    key: str
    title: str


class ColumnOut(Schema):
    key: str
    label: str


class RowOut(Schema):
    code: str
    label: str
    values: dict[str, int | str]
    total: int | str
    in_total: bool


class ReportOut(Schema):
    report: str
    title: str
    period: str
    first_month: datetime.date
    last_month: datetime.date
    level: str
    audience: str
    suppressed: bool
    columns: list[ColumnOut]
    rows: list[RowOut]
    total: RowOut


def _period(key: str) -> Period:
    if not key:
        return period_default(datetime.date.today())
    try:
        return period_parse(key)
    except ValueError:
        raise api_invalid(
            ValidationError(
                {
                    "period": [
                        "Use 2026-03, GFY2025/26, GFY2025/26-Q1, FY26-Q1, FY26-SAPR, FY26-APR."
                    ]
                }
            )
        ) from None


def _row(report: Report, code: str, label: str, in_total: bool) -> RowOut:
    return RowOut(
        code=code,
        label=label,
        values={column: report.cell(code, column) for column, _ in report.columns},
        total=report.cell(code, TOTAL),
        in_total=in_total,
    )


def _answer(request: HttpRequest, report_key: str, scope: StatisticsScope, period: str) -> dict:
    """Build, release to the caller's audience, and shape one report."""
    if report_key not in REPORTS:
        raise api_invalid(ValidationError({"report": [f"Choose one of {', '.join(REPORTS)}."]}))
    chosen = _period(period)
    try:
        with lagging_reads():  # figures may lag: from the read replica when there is one
            built = report_build(report_key, scope, chosen.first_month, chosen.last_month)
    except ValueError as error:
        raise api_invalid(ValidationError({"period": [str(error)]})) from None
    audience = audience_on_screen(
        request.user,
        scope=scope,
        organisation=getattr(request, "organisation", None),
        membership=getattr(request, "membership", None),
    )
    released = release(built, audience)
    return {
        "report": report_key,
        "title": released.title,
        "period": chosen.key,
        "first_month": chosen.first_month,
        "last_month": chosen.last_month,
        "level": scope.level,
        "audience": str(audience),
        "suppressed": not shows_small_counts(audience),
        "columns": [{"key": k, "label": label} for k, label in released.columns],
        "rows": [_row(released, k, label, True) for k, label in released.rows]
        + [_row(released, k, label, False) for k, label in released.beside_rows],
        "total": _row(released, TOTAL, "Total", True),
    }


def _reports() -> list[dict]:
    return [{"key": key, "title": definition.title} for key, definition in REPORTS.items()]


@workspace_router.get(
    "/statistics/reports", response={200: list[ReportKindOut], 403: ErrorOut}, summary="Reports"
)
def workspace_reports(request: HttpRequest):
    api_require(request, Permission.VIEW_CASES)
    return _reports()


@workspace_router.get(
    "/statistics/reports/{report}",
    response={200: ReportOut, 403: ErrorOut, 422: InvalidOut},
    summary="A report: own figures as they are; the county's or the nation's suppressed",
)
def workspace_report(
    request: HttpRequest,
    report: str = Path(..., max_length=KEY_MAX),
    period: str = Query("", max_length=KEY_MAX),
    area: str = Query("own", max_length=KEY_MAX),
):
    api_require(request, Permission.VIEW_CASES)
    organisation = request.organisation
    if area not in AREAS:
        raise api_invalid(ValidationError({"area": ["Choose own, county or national."]}))
    if area == "own":
        scope = StatisticsScope(organisation_id=organisation.pk)
    elif area == "county":
        if not organisation.county_code:
            raise api_invalid(ValidationError({"area": ["Your organisation has no county."]}))
        scope = StatisticsScope(county=organisation.county_code)
    else:
        scope = StatisticsScope()
    return _answer(request, report, scope, period)


@platform_router.get(
    "/statistics/reports", response={200: list[ReportKindOut], 403: ErrorOut}, summary="Reports"
)
def platform_reports(request: HttpRequest):
    api_require_platform(request, Permission.VIEW_NATIONAL_STATISTICS)
    return _reports()


@platform_router.get(
    "/statistics/reports/{report}",
    response={200: ReportOut, 403: ErrorOut, 422: InvalidOut},
    summary="A report for the nation, a county or a sub-county",
)
def platform_report(
    request: HttpRequest,
    report: str = Path(..., max_length=KEY_MAX),
    period: str = Query("", max_length=KEY_MAX),
    county: str = Query("", max_length=CODE_MAX),
    sub_county: str = Query("", max_length=CODE_MAX),
):
    api_require_platform(request, Permission.VIEW_NATIONAL_STATISTICS)
    if sub_county and not county:
        raise api_invalid(
            ValidationError({"county": ["A county code (and a sub-county code within it)."]})
        )
    return _answer(request, report, StatisticsScope(county=county, sub_county=sub_county), period)
