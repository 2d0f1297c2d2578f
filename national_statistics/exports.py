"""Reports as files: CSV, XLSX and DHIS2 dataValueSets JSON; always suppressed first."""

from __future__ import annotations

import json
from datetime import date
from xml.etree import ElementTree

from django.utils import timezone
from django.utils.translation import gettext_noop

from cpims.spreadsheets import XLSX_CONTENT_TYPE, csv_bytes, xlsx_bytes
from national_statistics.models import Dhis2Mapping, Dhis2MappingKind, ExportJob
from national_statistics.reports import Report
from national_statistics.suppression import SUPPRESSED, TOTAL
from tenants.models import Organisation

FORMATS = {
    "csv": "text/csv",
    "xlsx": XLSX_CONTENT_TYPE,
    "json": "application/json",
    "adx": "application/adx+xml",
}


class ExportError(ValueError):
    """The export cannot be made as asked (explained to the user)."""


def _require_released(report: Report) -> None:
    """A report leaves the platform only once released to its audience (suppressed unless
    that audience may see small counts)."""
    if not report.released_to:
        raise ExportError("Only reports released to their audience may leave the platform.")


def _require_suppressed(report: Report) -> None:
    if not report.suppressed:
        raise ExportError("Only suppressed reports may leave the platform.")


def to_csv(report: Report) -> bytes:
    _require_released(report)
    return csv_bytes(report.as_rows())


def to_xlsx(report: Report) -> bytes:
    _require_released(report)
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


MAPPING_MISSING = "DHIS2 mapping missing:"
SUPPRESSION_NOTE = "Counts from 1 to 4 hidden as <5, with complements."
ADX_NAMESPACE = "urn:ihe:qrph:adx:2015"


def dhis2_org_unit_key(job: ExportJob) -> tuple[str, str]:
    """The mapping key of the export's area and its name: an organisation, a sub-county, a
    county or the nation."""
    from shared_registry.models import County, SubCounty

    if job.organisation_id:
        organisation = Organisation.objects.get(pk=job.organisation_id)
        return f"organisation:{organisation.slug}", organisation.name
    if job.sub_county:
        name = SubCounty.objects.filter(code=job.sub_county).values_list("name", flat=True)
        return f"sub_county:{job.sub_county}", name.first() or job.sub_county
    if job.county:
        name = County.objects.filter(code=job.county).values_list("name", flat=True)
        return job.county, name.first() or job.county
    return "national", "Kenya"


def _mapped(kind: str, key: str) -> str:
    return Dhis2Mapping.objects.filter(kind=kind, key=key).values_list("uid", flat=True).first()


def dhis2_org_unit(job: ExportJob) -> str:
    """The DHIS2 organisation unit of the export's area; ExportError naming every missing
    mapping (organisation unit and data set) when there is none."""
    key, name = dhis2_org_unit_key(job)
    org_unit, data_set = _mapped("org_unit", key), _mapped("data_set", job.report)
    missing = []
    if not org_unit:
        missing.append(f"organisation unit for {name} (org_unit,{key})")
    if not data_set:
        missing.append(f"data set for the report {job.report} (data_set,{job.report})")
    if missing:
        raise ExportError(f"{MAPPING_MISSING} {'; '.join(missing)}.")
    return org_unit


def dhis2_data_set(report_key: str) -> str:
    data_set = _mapped("data_set", report_key)
    if not data_set:
        raise ExportError(f"{MAPPING_MISSING} data set for the report {report_key}.")
    return data_set


ONE_MONTH_AT_A_TIME = gettext_noop(
    "DHIS2 takes this report one month at a time (each month's rows are the same data "
    "elements): choose a single month."
)


def data_element_key(row: str) -> str:
    """The data element mapping key of a report row: its key, or for a row of a month
    (``admitted:2026-01``, the institution population) the part before the month."""
    return row.split(":", 1)[0]


def _data_values(report: Report) -> tuple[list[tuple[str, str, str]], int, int]:
    """(data element, category option combo, value) of every shown, mapped, non-zero cell;
    with how many were suppressed and how many unmapped (DHIS2 takes numbers only)."""
    _require_suppressed(report)
    mapping = {(m.kind, m.key): m.uid for m in Dhis2Mapping.objects.all()}
    values, unmapped, hidden = [], 0, 0
    rows = [row for row, _ in [*report.rows, *report.beside_rows]]
    if len({data_element_key(row) for row in rows}) < len(rows):
        raise ExportError(ONE_MONTH_AT_A_TIME)  # one period: one value per element and combo
    for row in rows:
        for column, _ in report.columns:
            value = report.values.get((row, column), 0)
            if value == SUPPRESSED:
                hidden += 1
                continue
            if not value:
                continue
            element = mapping.get((Dhis2MappingKind.DATA_ELEMENT, data_element_key(row)))
            combo = mapping.get((Dhis2MappingKind.CATEGORY_OPTION_COMBO, column))
            if not element or not combo:
                unmapped += 1
                continue
            values.append((element, combo, str(value)))
    return values, hidden, unmapped


def _note(report: Report, values: list, hidden: int, unmapped: int) -> str:
    return (
        f"{len(values)} values; {hidden} suppressed and {unmapped} unmapped cells left out; "
        f"grand total {report.values.get((TOTAL, TOTAL))}"
    )


def to_dhis2(
    report: Report, *, month_from: date, month_to: date, org_unit: str, data_set: str
) -> tuple[bytes, str]:
    """A DHIS2 dataValueSets JSON document and a note for the user: unmapped and suppressed
    cells are left out (DHIS2 takes numbers only)."""
    values, hidden, unmapped = _data_values(report)
    period = dhis2_period(month_from, month_to)
    document = {
        "dataSet": data_set,
        "period": period,
        "orgUnit": org_unit,
        "dataValues": [
            {
                "dataElement": element,
                "period": period,
                "orgUnit": org_unit,
                "categoryOptionCombo": combo,
                "value": value,
            }
            for element, combo, value in values
        ],
    }
    return json.dumps(document, indent=1).encode(), _note(report, values, hidden, unmapped)


def adx_period(month_from: date, month_to: date) -> str:
    """An ADX period: the first day and the length in months (ISO 8601), e.g. 2025-10-01/P6M."""
    months = (month_to.year - month_from.year) * 12 + month_to.month - month_from.month + 1
    return f"{month_from:%Y-%m-%d}/P{months}M"


def to_adx(
    report: Report, *, month_from: date, month_to: date, org_unit: str, data_set: str
) -> tuple[bytes, str]:
    """The same values as an ADX document (IHE QRPH aggregate data exchange), for DHIS2's
    ADX import: one group for the data set, organisation unit and period."""
    values, hidden, unmapped = _data_values(report)
    dhis2_period(month_from, month_to)  # the same periods as dataValueSets, refused alike
    ElementTree.register_namespace("", ADX_NAMESPACE)
    root = ElementTree.Element(
        f"{{{ADX_NAMESPACE}}}adx", {"exported": timezone.now().isoformat(timespec="seconds")}
    )
    group = ElementTree.SubElement(
        root,
        f"{{{ADX_NAMESPACE}}}group",
        {"dataSet": data_set, "orgUnit": org_unit, "period": adx_period(month_from, month_to)},
    )
    for element, combo, value in values:
        ElementTree.SubElement(
            group,
            f"{{{ADX_NAMESPACE}}}dataValue",
            {"dataElement": element, "categoryOptionCombo": combo, "value": value},
        )
    content = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return content, _note(report, values, hidden, unmapped)
