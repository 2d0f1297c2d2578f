"""CSV importers for the national directories: KMHFL health facilities, NEMIS schools
and the directory of organisations.

Same rules for all: columns are found by their published header names (case, spaces
and underscores ignored, a few aliases accepted); every row is checked first and every
bad row is reported with its line number and reason; a file with any bad row changes
nothing unless the operator asks to import the valid rows; rows are upserted by their
official code, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from shared_registry.models import (
    County,
    DirectoryEntry,
    DirectoryKind,
    Facility,
    School,
    SchoolLevel,
    SexesAdmitted,
    SubCounty,
    Ward,
)


@dataclass
class RowError:
    line: int
    reason: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False
    # what changed: (code, "created" or "updated", the fields changed), in row order
    changes: list[tuple[str, str, list[str]]] = field(default_factory=list)

    def summary(self) -> str:
        state = "applied" if self.applied else "nothing changed"
        return (
            f"{self.rows} rows: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.errors)} with errors ({state})"
        )


class RowProblem(Exception):
    pass


def _key(header: str) -> str:
    return re.sub(r"[\s_\-./()]+", "", header.strip().lower())


class _Row:
    def __init__(self, values: dict[str, str], aliases: dict[str, tuple[str, ...]]):
        self.values = values
        self.aliases = aliases

    def get(self, name: str, *, required: bool = False) -> str:
        for alias in self.aliases[name]:
            value = self.values.get(_key(alias))
            if value is not None and value.strip():
                return value.strip()
        if required:
            raise RowProblem(f"{self.aliases[name][0]} is missing")
        return ""


class _Geography:
    """County / sub-county / ward lookups by code or name (files use either)."""

    def __init__(self):
        self.counties = {}
        for c in County.objects.all():
            self.counties[c.code] = c
            self.counties[c.code.lstrip("0")] = c
            self.counties[_key(c.name)] = c
            self.counties[_key(c.name.removesuffix(" City"))] = c
        self.sub_counties: dict[tuple[int, str], SubCounty] = {}
        for s in SubCounty.objects.all():
            self.sub_counties[(s.county_id, s.code)] = s
            self.sub_counties[(s.county_id, _key(s.name))] = s
            self.sub_counties[(s.county_id, _key(s.name) + "subcounty")] = s
        self.wards: dict[tuple[int, str], Ward] = {}
        for w in Ward.objects.all():
            self.wards[(w.sub_county_id, w.code)] = w
            self.wards[(w.sub_county_id, _key(w.name))] = w

    def resolve(self, county: str, sub_county: str = "", ward: str = ""):
        c = self.counties.get(county.strip()) or self.counties.get(_key(county))
        if c is None:
            raise RowProblem(f"unknown county “{county}”")
        s = w = None
        if sub_county:
            s = self.sub_counties.get((c.pk, sub_county.strip())) or self.sub_counties.get(
                (c.pk, _key(sub_county))
            )
            if s is None:
                raise RowProblem(f"unknown sub-county “{sub_county}” in {c.name}")
        if ward:
            if s is None:
                raise RowProblem("a ward needs its sub-county")
            w = self.wards.get((s.pk, ward.strip())) or self.wards.get((s.pk, _key(ward)))
            if w is None:
                raise RowProblem(f"unknown ward “{ward}” in {s.name}")
        return c, s, w


def _coordinate(value: str, low: float, high: float, name: str) -> float | None:
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise RowProblem(f"{name} “{value}” is not a number") from None
    if not low <= number <= high:
        raise RowProblem(f"{name} {number} is outside Kenya")
    return number


def _int(value: str, name: str, low: int = 0, high: int = 10_000) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise RowProblem(f"{name} “{value}” is not a whole number from {low} to {high}")
    return int(value)


def _run(
    text: str,
    *,
    model,
    aliases: dict[str, tuple[str, ...]],
    clean: Callable[[_Row, _Geography], dict],
    import_valid_rows: bool,
) -> ImportReport:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames:
        report = ImportReport()
        report.errors.append(RowError(1, "the file is empty"))
        return report
    headers = {_key(h) for h in reader.fieldnames if h}
    missing = [
        names[0]
        for names in aliases.values()
        if names[-1] == "*" and not any(_key(a) in headers for a in names[:-1])
    ]
    if missing:
        report = ImportReport()
        report.errors.append(RowError(1, "missing columns: " + ", ".join(missing)))
        return report
    rows = ((reader.line_num, values) for values in reader)
    return records_apply(
        rows, model=model, aliases=aliases, clean=clean, import_valid_rows=import_valid_rows
    )


def records_apply(
    records: Iterable[tuple[int, dict]],
    *,
    model,
    aliases: dict[str, tuple[str, ...]],
    clean: Callable[[_Row, _Geography], dict],
    import_valid_rows: bool,
) -> ImportReport:
    """Check every (line, record) and upsert the good ones by their official code: the CSV
    files' and the synchronised APIs' common path (a record is a dict of column: text)."""
    report = ImportReport()
    aliases = {k: tuple(a for a in v if a != "*") for k, v in aliases.items()}
    geography = _Geography()
    clean_rows: dict[str, dict] = {}
    for line, values in records:
        report.rows += 1
        row = _Row({_key(k): (v or "") for k, v in values.items() if k}, aliases)
        try:
            data = clean(row, geography)
            if data["code"] in clean_rows:
                raise RowProblem(f"code {data['code']} appears twice in the file")
        except RowProblem as problem:
            report.errors.append(RowError(line, str(problem)))
            continue
        clean_rows[data["code"]] = data
    if report.errors and not import_valid_rows:
        return report
    with transaction.atomic():
        existing = model.objects.in_bulk(list(clean_rows), field_name="code")
        for code, data in clean_rows.items():
            obj = existing.get(code)
            if obj is None:
                model.objects.create(**data)
                report.created += 1
                report.changes.append((code, "created", []))
                continue
            changed = [k for k, v in data.items() if getattr(obj, k) != v]
            if changed:
                for k in changed:
                    setattr(obj, k, data[k])
                obj.save()
                report.updated += 1
                report.changes.append((code, "updated", changed))
            else:
                report.unchanged += 1
    report.applied = True
    return report


# --- KMHFL facilities -----------------------------------------------------------------------
FACILITY_COLUMNS = {  # the KMHFL CSV headers, then the names of its API's fields
    "code": ("Code", "MFL Code", "*"),
    "name": ("Name", "Officialname", "Facility Name", "*"),
    "facility_type": ("Facility type", "Facility_type_category", "Type", "facility_type_name"),
    "keph_level": ("Keph level", "KEPH Level", "keph_level_name"),
    "owner": ("Owner", "Owner type", "Owner_name"),
    "county": ("County", "county_name", "*"),
    "sub_county": ("Constituency", "Sub county", "constituency_name", "sub_county_name"),
    "ward": ("Ward", "ward_name"),
    "latitude": ("Latitude", "Lat"),
    "longitude": ("Longitude", "Long", "Lon"),
}


def _clean_facility(row: _Row, geo: _Geography) -> dict:
    code = row.get("code", required=True)
    if not code.isdigit() or len(code) > 6:
        raise RowProblem(f"MFL code “{code}” is not a number of up to 6 digits")
    keph = row.get("keph_level")
    if keph and not re.fullmatch(r"(?i)level\s*[1-6][a-b]?", keph):
        raise RowProblem(f"KEPH level “{keph}” is not Level 1 to Level 6")
    county, sub_county, ward = geo.resolve(
        row.get("county", required=True), row.get("sub_county"), row.get("ward")
    )
    return {
        "code": code,
        "name": row.get("name", required=True)[:200],
        "facility_type": row.get("facility_type")[:100],
        "keph_level": keph.title(),
        "owner": row.get("owner")[:150],
        "county": county,
        "sub_county": sub_county,
        "ward": ward,
        "latitude": _coordinate(row.get("latitude"), -5.0, 5.5, "latitude"),
        "longitude": _coordinate(row.get("longitude"), 33.5, 42.5, "longitude"),
    }


def facilities_import(*, text: str, import_valid_rows: bool = False) -> ImportReport:
    return _run(
        text,
        model=Facility,
        aliases=FACILITY_COLUMNS,
        clean=_clean_facility,
        import_valid_rows=import_valid_rows,
    )


# --- NEMIS schools -------------------------------------------------------------------------
SCHOOL_COLUMNS = {
    "code": ("Institution Code", "NEMIS Code", "Code", "*"),
    "name": ("Institution Name", "School Name", "Name", "*"),
    "level": ("Level", "Institution Level", "*"),
    "category": ("Category", "Type", "Public/Private", "Status", "*"),
    "county": ("County", "*"),
    "sub_county": ("Sub County", "Constituency"),
    "ward": ("Ward",),
    "latitude": ("Latitude", "Lat"),
    "longitude": ("Longitude", "Long", "Lon"),
}
_LEVELS = {
    "preprimary": SchoolLevel.PRE_PRIMARY,
    "ecde": SchoolLevel.PRE_PRIMARY,
    "primary": SchoolLevel.PRIMARY,
    "juniorschool": SchoolLevel.JUNIOR,
    "juniorsecondary": SchoolLevel.JUNIOR,
    "jss": SchoolLevel.JUNIOR,
    "secondary": SchoolLevel.SECONDARY,
    "seniorschool": SchoolLevel.SECONDARY,
    "tvet": SchoolLevel.TVET,
    "vocational": SchoolLevel.TVET,
    "special": SchoolLevel.SPECIAL,
    "specialneeds": SchoolLevel.SPECIAL,
}


def _clean_school(row: _Row, geo: _Geography) -> dict:
    code = row.get("code", required=True).upper()
    if not re.fullmatch(r"[A-Z0-9]{4,20}", code):
        raise RowProblem(f"NEMIS code “{code}” is not 4 to 20 letters or digits")
    level = _LEVELS.get(_key(row.get("level", required=True)))
    if level is None:
        raise RowProblem(
            f"level “{row.get('level')}” is not one of pre-primary, primary, "
            "junior school, secondary, TVET, special"
        )
    category = _key(row.get("category", required=True))
    if category not in ("public", "private"):
        raise RowProblem(f"category “{row.get('category')}” is neither public nor private")
    county, sub_county, ward = geo.resolve(
        row.get("county", required=True), row.get("sub_county"), row.get("ward")
    )
    return {
        "code": code,
        "name": row.get("name", required=True)[:200],
        "level": level,
        "is_public": category == "public",
        "county": county,
        "sub_county": sub_county,
        "ward": ward,
        "latitude": _coordinate(row.get("latitude"), -5.0, 5.5, "latitude"),
        "longitude": _coordinate(row.get("longitude"), 33.5, 42.5, "longitude"),
    }


def schools_import(*, text: str, import_valid_rows: bool = False) -> ImportReport:
    return _run(
        text,
        model=School,
        aliases=SCHOOL_COLUMNS,
        clean=_clean_school,
        import_valid_rows=import_valid_rows,
    )


# --- directory of organisations ------------------------------------------------------------
DIRECTORY_COLUMNS = {
    "code": ("Code", "Directory Code", "*"),
    "name": ("Name", "*"),
    "kind": ("Kind", "Type", "*"),
    "registration_number": ("Registration Number", "Gazettement Number"),
    "capacity": ("Capacity",),
    "min_age": ("Min Age", "Youngest Age"),
    "max_age": ("Max Age", "Oldest Age"),
    "sexes_admitted": ("Sex Admitted", "Sexes Admitted"),
    "county": ("County", "*"),
    "sub_county": ("Sub County", "Constituency"),
    "ward": ("Ward",),
    "physical_address": ("Physical Address", "Address"),
    "phone": ("Phone", "Telephone"),
    "email": ("Email",),
    "contact_person": ("Contact Person",),
}
_KINDS = {_key(label): code for code, label in DirectoryKind.choices} | {
    _key(code): code for code in DirectoryKind.values
}


def _clean_directory(row: _Row, geo: _Geography) -> dict:
    kind = _KINDS.get(_key(row.get("kind", required=True)))
    if kind is None:
        raise RowProblem(f"kind “{row.get('kind')}” is not a directory kind (e.g. TNRC, TNRH)")
    sexes = row.get("sexes_admitted").lower()
    if sexes and sexes not in SexesAdmitted.values:
        raise RowProblem(f"sex admitted “{sexes}” is not boys, girls or both")
    min_age = _int(row.get("min_age"), "min age", 0, 25)
    max_age = _int(row.get("max_age"), "max age", 0, 25)
    if min_age is not None and max_age is not None and min_age > max_age:
        raise RowProblem("min age is above max age")
    email = row.get("email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise RowProblem(f"email “{email}” is not valid") from None
    county, sub_county, ward = geo.resolve(
        row.get("county", required=True), row.get("sub_county"), row.get("ward")
    )
    return {
        "code": row.get("code", required=True)[:40],
        "name": row.get("name", required=True)[:200],
        "kind": kind,
        "registration_number": row.get("registration_number")[:64],
        "capacity": _int(row.get("capacity"), "capacity"),
        "min_age": min_age,
        "max_age": max_age,
        "sexes_admitted": sexes,
        "county": county,
        "sub_county": sub_county,
        "ward": ward,
        "physical_address": row.get("physical_address")[:300],
        "phone": row.get("phone")[:32],
        "email": email,
        "contact_person": row.get("contact_person")[:200],
    }


def directory_import(*, text: str, import_valid_rows: bool = False) -> ImportReport:
    return _run(
        text,
        model=DirectoryEntry,
        aliases=DIRECTORY_COLUMNS,
        clean=_clean_directory,
        import_valid_rows=import_valid_rows,
    )


IMPORTERS = {
    "facilities": facilities_import,
    "schools": schools_import,
    "directory": directory_import,
}


def facilities_apply_records(records: Iterable[tuple[int, dict]]) -> ImportReport:
    """Facility records from the KMHFL API (numbered): the good ones applied, the bad ones
    reported."""
    return records_apply(
        records,
        model=Facility,
        aliases=FACILITY_COLUMNS,
        clean=_clean_facility,
        import_valid_rows=True,
    )


def schools_apply_records(records: Iterable[tuple[int, dict]]) -> ImportReport:
    """School records from NEMIS (numbered): the good ones applied, the bad ones reported."""
    return records_apply(
        records, model=School, aliases=SCHOOL_COLUMNS, clean=_clean_school, import_valid_rows=True
    )
