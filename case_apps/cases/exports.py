"""Caseload exports (CSV, XLSX): the rows the member may see, nothing more, every cell
neutralised by cpims.spreadsheets."""

from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from case_apps.cases.presenters import case_labels
from cpims.spreadsheets import XLSX_CONTENT_TYPE, csv_lines, xlsx_bytes

FORMATS = {"csv", "xlsx"}
HEADER = [
    "Case reference",
    "CPIMS person ID",
    "Child",
    "Date reported",
    "Status",
    "Stage",
    "Active since",
    "Risk",
    "Categories",
    "Officer",
    "County",
]


def _rows(cases):
    labels = case_labels()
    for case in cases.prefetch_related("categories").iterator(chunk_size=1000):
        yield [
            case.national_reference,
            case.child.cpims_id,
            case.child.full_name,
            case.date_reported.isoformat(),
            case.get_status_display(),
            case.get_stage_display(),
            case.activated_on.isoformat() if case.activated_on else "",
            labels.of("risk_level", case.risk_level),
            labels.many("case_category", [c.category_code for c in case.categories.all()]),
            str(case.assigned_officer),
            case.occurrence_county_code,
        ]


def caseload_export(request, cases, export_format: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"caseload-{request.organisation.slug}-{stamp}"
    if export_format == "csv":
        lines = csv_lines([HEADER, *_rows(cases)])
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    content = xlsx_bytes([HEADER, *_rows(cases)], title="Caseload")
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
