"""Dashboards: national, county and sub-county for DCS; the same views per organisation."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from case_apps.lists.selectors import list_labels
from national_statistics.selectors import HEADLINE_KINDS, StatisticsScope, dashboard
from tenants.decorators import platform_permission_required
from tenants.policy import Permission, may

SEX_LABELS = {"SFEM": "Female", "SMAL": "Male", "SINT": "Intersex", "": "Not recorded"}
AREA_CODE_MAX = 8


def _month(value: str | None, default: date) -> date:
    try:
        year, month = (int(part) for part in (value or "").split("-")[:2])
        return date(year, month, 1)
    except (TypeError, ValueError):
        return default


def _period(request: HttpRequest) -> tuple[date, date]:
    today = timezone.localdate().replace(day=1)
    default_from = date(today.year - 1, today.month, 1)
    month_from = _month(request.GET.get("from"), default_from)
    month_to = _month(request.GET.get("to"), today)
    if month_from > month_to:
        month_from, month_to = month_to, month_from
    return month_from, month_to


def _context(request: HttpRequest, scope: StatisticsScope) -> dict:
    month_from, month_to = _period(request)
    board = dashboard(scope, month_from, month_to)
    categories = list_labels("case_category")
    charts = {
        "trend": {"labels": list(board.trend), "values": list(board.trend.values())},
        "category": {
            "labels": [categories.get(c, c or "—") for c in board.by_category],
            "values": list(board.by_category.values()),
        },
        "sex": {
            "labels": [_(SEX_LABELS.get(s, s)) for s in board.by_sex],
            "values": list(board.by_sex.values()),
        },
        "age": {"labels": list(board.by_age_band), "values": list(board.by_age_band.values())},
        "area": {
            "labels": [a or "—" for a in board.by_area],
            "values": list(board.by_area.values()),
            "codes": list(board.by_area),
        },
    }
    return {
        "board": board,
        "charts": charts,
        "headline": [
            (_(label), board.headline.get(kind, 0)) for kind, label in HEADLINE_KINDS.items()
        ],
        "month_from": month_from.strftime("%Y-%m"),
        "month_to": month_to.strftime("%Y-%m"),
        "category_rows": [(categories.get(c, c), n) for c, n in board.by_category.items()],
    }


@platform_permission_required(Permission.VIEW_NATIONAL_STATISTICS)
def national_dashboard(request: HttpRequest) -> HttpResponse:
    county = request.GET.get("county", "")[:AREA_CODE_MAX]
    sub_county = request.GET.get("sub_county", "")[:AREA_CODE_MAX] if county else ""
    scope = StatisticsScope(county=county, sub_county=sub_county)
    return render(request, "national_statistics/dashboard.html", _context(request, scope))


def organisation_dashboard(request: HttpRequest) -> HttpResponse:
    if not may(
        request.user,
        Permission.VIEW_CASES,
        organisation=request.organisation,
        membership=request.membership,
    ):
        return render(request, "errors/forbidden.html", status=403)
    scope = StatisticsScope(organisation_id=request.organisation.pk)
    return render(request, "national_statistics/dashboard.html", _context(request, scope))
