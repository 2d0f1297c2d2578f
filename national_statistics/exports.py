"""Reports as files: CSV, XLSX and DHIS2 dataValueSets JSON; always suppressed first."""

from __future__ import annotations

import json
from datetime import date

from cpims.spreadsheets import XLSX_CONTENT_TYPE, csv_bytes, xlsx_bytes
from national_statistics.models import Dhis2Mapping, Dhis2MappingKind
from national_statistics.reports import Report
from national_statistics.suppression import SUPPRESSED, TOTAL

FORMATS = {
    "csv": "text/csv",
    "xlsx": XLSX_CONTENT_TYPE,
    "json": "application/json",
}


class ExportError(ValueError):
    """The export cannot be made as asked (explained to the user)."""


def _require_suppressed(report: Report) -> None:
    if not report.suppressed:
        raise ExportError("Only suppressed reports may leave the platform.")


def to_csv(report: Report) -> bytes:
    _require_suppressed(report)
    return csv_bytes(report.as_rows())


def to_xlsx(report: Report) -> bytes:
    _require_suppressed(report)
    return xlsx_bytes(report.as_rows(), title=report.title)


def dhis2_period(month_from: date, month_to: date) -> str:
    """The DHIS2 period for a month, a quarter, a half year (January or April based: the
    PEPFAR SAPR, October-March, is ``<year>AprilS2``), a calendar year, or a July or
    October financial year (the PEPFAR APR, October-September, is ``<year>Oct``)."""
    months = (month_to.year - month_from.year) * 12 + month_to.month - month_from.month + 1
    start, year = month_from.month, month_from.year
    if months == 1:
        return f"{month_from:%Y%m}"
    if months == 3 and start in (1, 4, 7, 10):
        return f"{year}Q{(start - 1) // 3 + 1}"
    if months == 6 and start in (1, 7):
        return f"{year}S{1 if start == 1 else 2}"
    if months == 6 and start == 4:
        return f"{year}AprilS1"
    if months == 6 and start == 10:
        return f"{year}AprilS2"  # October of <year> to March of the next
    if months == 12 and start == 1:
        return str(year)
    if months == 12 and start == 7:
        return f"{year}July"
    if months == 12 and start == 10:
        return f"{year}Oct"
    raise ExportError(
        "DHIS2 needs a single month, a quarter, a half year, a calendar year or a July or "
        "October financial year."
    )


def to_dhis2(report: Report, *, month_from: date, month_to: date, area: str) -> tuple[bytes, str]:
    """dataValueSets JSON using the configured mapping, and a note for the user: unmapped and
    suppressed cells are left out (DHIS2 takes numbers only)."""
    _require_suppressed(report)
    mapping = {(m.kind, m.key): m.uid for m in Dhis2Mapping.objects.all()}
    org_unit = mapping.get((Dhis2MappingKind.ORG_UNIT, area or "national"))
    if not org_unit:
        raise ExportError(f"No DHIS2 organisation unit is mapped for “{area or 'national'}”.")
    period = dhis2_period(month_from, month_to)
    values, unmapped, hidden = [], 0, 0
    for row, _ in report.rows:
        for column, _ in report.columns:
            value = report.values.get((row, column), 0)
            if value == SUPPRESSED:
                hidden += 1
                continue
            if not value:
                continue
            element = mapping.get((Dhis2MappingKind.DATA_ELEMENT, row))
            combo = mapping.get((Dhis2MappingKind.CATEGORY_OPTION_COMBO, column))
            if not element or not combo:
                unmapped += 1
                continue
            values.append(
                {
                    "dataElement": element,
                    "categoryOptionCombo": combo,
                    "period": period,
                    "orgUnit": org_unit,
                    "value": str(value),
                }
            )
    document = {"period": period, "orgUnit": org_unit, "dataValues": values}
    note = (
        f"{len(values)} values; {hidden} suppressed and {unmapped} unmapped cells left out; "
        f"grand total {report.values.get((TOTAL, TOTAL))}"
    )
    return json.dumps(document, indent=1).encode(), note
