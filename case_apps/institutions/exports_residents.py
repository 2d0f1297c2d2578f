"""The residents register as CSV or XLSX: the rows the member may see, every cell neutralised
by cpims.spreadsheets (no value can become a formula)."""

from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from case_apps.institutions.selectors_residents import age_in_years, days_to_exit
from cpims.spreadsheets import XLSX_CONTENT_TYPE, csv_lines, xlsx_bytes

FORMATS = {"csv", "xlsx"}
HEADER = [
    "CPIMS person ID",
    "Child",
    "Sex",
    "Age",
    "Admission number",
    "Admitted on",
    "Admission type",
    "Emergency",
    "Expected exit",
    "Days to expected exit",
    "Case reference",
]


def _rows(admissions):
    today = timezone.localdate()
    for admission in admissions.iterator(chunk_size=1000):
        child = admission.case.child
        age = age_in_years(child, today)
        days = days_to_exit(admission, today)
        yield [
            child.cpims_id,
            child.full_name,
            child.sex,
            "" if age is None else age,
            admission.admission_number,
            admission.admitted_on.isoformat(),
            admission.admission_type,
            "yes" if admission.is_emergency else "no",
            admission.expected_exit_on.isoformat() if admission.expected_exit_on else "",
            "" if days is None else days,
            admission.case.national_reference,
        ]


def residents_export(request, admissions, export_format: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"residents-{request.organisation.slug}-{stamp}"
    if export_format == "csv":
        response = StreamingHttpResponse(
            csv_lines([HEADER, *_rows(admissions)]), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    content = xlsx_bytes([HEADER, *_rows(admissions)], title="Residents")
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
