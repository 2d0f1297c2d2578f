"""Kenya's counties, sub-counties (constituencies) and wards from the ``kenya-data``
package (MIT; IEBC hierarchy with codes, bundled as SQLite)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from importlib import resources

from django.db import models, transaction

from shared_registry.models import County, SubCounty, Ward


@dataclass
class GeographyLoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _rows(sql: str) -> list[tuple]:
    path = resources.files("kenya_data") / "kenya.db"
    with resources.as_file(path) as db_path:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()


def _value(source, name: str):
    value = source[name] if isinstance(source, dict) else None
    if isinstance(source, dict):
        return value.pk if isinstance(value, models.Model) else value
    field = source._meta.get_field(name)
    return getattr(source, field.attname)


def _upsert(model, rows: list[tuple[str, dict]], result: GeographyLoadResult) -> dict:
    """Create the missing rows in one statement, update the changed ones; code -> object."""
    existing = {o.code: o for o in model.objects.all()}
    new = []
    for code, values in rows:
        obj = existing.get(code)
        if obj is None:
            new.append(model(code=code, **values))
            continue
        changed = [k for k in values if _value(obj, k) != _value(values, k)]
        if changed:
            for k in changed:
                setattr(obj, k, values[k])
            obj.save(update_fields=changed)
            result.updated += 1
        else:
            result.unchanged += 1
    for obj in model.objects.bulk_create(new):
        existing[obj.code] = obj
    result.created += len(new)
    return existing


@transaction.atomic
def geography_load() -> GeographyLoadResult:
    """Load or refresh all 47 counties, 290 sub-counties and 1,450 wards. Idempotent:
    a second run reports everything unchanged."""
    result = GeographyLoadResult()
    coords = {
        (kind, entity_id): (lat, lon)
        for kind, entity_id, lat, lon in _rows(
            "SELECT entity_type, entity_id, latitude, longitude FROM coordinates"
        )
    }
    source_counties = _rows("SELECT id, code, name FROM counties ORDER BY code")
    county_code = {pk: code.removeprefix("KE") for pk, code, _name in source_counties}
    counties = _upsert(
        County,
        [
            (
                county_code[pk],
                {
                    "name": name,
                    "latitude": coords.get(("county", pk), (None, None))[0],
                    "longitude": coords.get(("county", pk), (None, None))[1],
                },
            )
            for pk, code, name in source_counties
        ],
        result,
    )
    source_subs = _rows("SELECT id, code, name, county_id FROM constituencies ORDER BY code")
    sub_code = {pk: code[-3:] for pk, code, _name, _county in source_subs}
    sub_counties = _upsert(
        SubCounty,
        [
            (
                sub_code[pk],
                {
                    "name": name,
                    "county": counties[county_code[county_pk]],
                    "latitude": coords.get(("constituency", pk), (None, None))[0],
                    "longitude": coords.get(("constituency", pk), (None, None))[1],
                },
            )
            for pk, code, name, county_pk in source_subs
        ],
        result,
    )
    source_wards = _rows("SELECT code, name, constituency_id FROM wards ORDER BY code")
    _upsert(
        Ward,
        [
            (
                code.removeprefix("KEW-"),
                {"name": name, "sub_county": sub_counties[sub_code[sub_pk]]},
            )
            for code, name, sub_pk in source_wards
        ],
        result,
    )
    return result
