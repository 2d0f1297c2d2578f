"""Case references: the organisation's running serial and the national reference of a case.

A DCS office (county or sub-county children office) numbers its cases as the national
CPIMS did, ``CCO/<county>/<sub-county>/5/29/<n>/<year>``, with ``n`` counted per sub-county
and year across every DCS office of that sub-county (one national counter row, locked in
the case's own transaction: no gaps, no repeats). Every other organisation keeps the form
``CPIMS/<county>/<WORKSPACE>/<serial>/<year>`` with its own serial. See
docs/case-management.md, "Stages and the national reference".
"""

from __future__ import annotations

from django.db.models import F

from case_apps.cases.models import CaseSerialCounter
from case_apps.lists.models import SubCountySerialCounter
from shared_registry.models import SubCounty
from tenants.models import Organisation, OrganisationKind

DCS_KINDS = frozenset({OrganisationKind.DCS_COUNTY_OFFICE, OrganisationKind.DCS_SUB_COUNTY_OFFICE})
# the county/sub-county part of a reference when nothing names the place
UNKNOWN_PLACE = "000"


def organisation_serial_next(year: int) -> int:
    """The organisation's next case serial of ``year`` (its own counter row, locked)."""
    counter, _ = CaseSerialCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_serial = F("last_serial") + 1
    counter.save(update_fields=["last_serial"])
    counter.refresh_from_db(fields=["last_serial"])
    return counter.last_serial


def sub_county_serial_next(county_code: str, sub_county_code: str, year: int) -> int:
    """The next number of the sub-county's DCS series of ``year``: the national counter row
    is locked until the case's transaction ends, so a concurrent case waits and takes the
    next number, and a case that fails gives its number back."""
    counter, _ = SubCountySerialCounter.objects.select_for_update().get_or_create(
        county_code=county_code, sub_county_code=sub_county_code, year=year
    )
    counter.last_serial = F("last_serial") + 1
    counter.save(update_fields=["last_serial"])
    counter.refresh_from_db(fields=["last_serial"])
    return counter.last_serial


def _county_of(sub_county_code: str) -> str:
    return (
        SubCounty.objects.filter(code=sub_county_code)
        .values_list("county__code", flat=True)
        .first()
        or ""
    )


def reporting_place(
    organisation: Organisation, occurrence_county_code: str, occurrence_sub_county_code: str
) -> tuple[str, str]:
    """The county and sub-county a DCS reference counts in: the reporting office's own
    sub-county; for an office that has none recorded (a county office), the sub-county where
    it happened; ``000`` when neither is known."""
    if organisation.sub_county_code:
        sub_county = organisation.sub_county_code
        county = organisation.county_code or _county_of(sub_county)
    elif occurrence_sub_county_code:
        sub_county = occurrence_sub_county_code
        county = occurrence_county_code or _county_of(sub_county)
    else:
        sub_county = UNKNOWN_PLACE
        county = organisation.county_code or occurrence_county_code
    return county or UNKNOWN_PLACE, sub_county


def _legacy_number(code: str) -> str:
    """A county or sub-county code as the paper references print it (``042`` -> ``42``)."""
    return str(int(code)) if code.isdigit() and code != UNKNOWN_PLACE else code


def dcs_reference(county_code: str, sub_county_code: str, n: int, year: int) -> str:
    """``CCO/<county>/<sub-county>/5/29/<n>/<year>``, e.g. ``CCO/42/240/5/29/118/2026``."""
    county, sub_county = _legacy_number(county_code), _legacy_number(sub_county_code)
    return f"CCO/{county}/{sub_county}/5/29/{n}/{year}"


def national_reference(organisation: Organisation, year: int, serial: int) -> str:
    """``CPIMS/<county>/<WORKSPACE>/<serial>/<year>``: the reference of a case of an
    organisation that is not a DCS office (and of every case recorded before issue 17)."""
    county = organisation.county_code or UNKNOWN_PLACE
    return f"CPIMS/{county}/{organisation.slug.upper()}/{serial:05d}/{year}"


def case_reference(
    organisation: Organisation,
    year: int,
    serial: int,
    *,
    occurrence_county_code: str = "",
    occurrence_sub_county_code: str = "",
) -> str:
    """The national reference of a new case of ``organisation`` (inside the transaction that
    records it)."""
    if organisation.kind not in DCS_KINDS:
        return national_reference(organisation, year, serial)
    county, sub_county = reporting_place(
        organisation, occurrence_county_code, occurrence_sub_county_code
    )
    return dcs_reference(county, sub_county, sub_county_serial_next(county, sub_county, year), year)
