"""The OVC children list as a spreadsheet (CSV, XLSX): the rows the member sees with the
filters they chose, every cell neutralised by cpims.spreadsheets."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from case_apps.ovc.models import Enrolment
from case_apps.ovc.views_common import labels
from cpims.spreadsheets import XLSX_CONTENT_TYPE, csv_lines, xlsx_bytes

FORMATS = {"csv", "xlsx"}
HEADER = [
    "OVC serial",
    "CPIMS person ID",
    "Child",
    "Sex",
    "Date of birth",
    "Household",
    "Programme",
    "Registration date",
    "HIV status",
    "School level",
    "Status",
    "Exit date",
    "County",
    "Sub-county",
    "Ward",
]


def _rows(children: QuerySet[Enrolment]) -> Iterator[list]:
    names = labels()
    for e in children.iterator(chunk_size=1000):
        child, household = e.child, e.household
        yield [
            e.serial,
            child.cpims_id,
            child.full_name,
            child.get_sex_display(),
            child.date_of_birth.isoformat() if child.date_of_birth else "",
            household.number,
            names.of("programme", e.programme),
            e.registration_date.isoformat(),
            names.of("hiv_status", e.hiv_status),
            names.of("school_level", e.school_level),
            e.get_status_display(),
            e.exit_date.isoformat() if e.exit_date else "",
            household.county_code,
            household.sub_county_code,
            household.ward_code,
        ]


def children_export(
    request: HttpRequest, children: QuerySet[Enrolment], export_format: str
) -> HttpResponse:
    """The file to download, named after the workspace and the minute."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"ovc-children-{request.organisation.slug}-{stamp}"
    if export_format == "csv":
        response = StreamingHttpResponse(
            csv_lines([HEADER, *_rows(children)]), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    content = xlsx_bytes([HEADER, *_rows(children)], title="OVC children")
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
