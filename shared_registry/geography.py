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


def _upsert(model, code: str, values: dict, result: GeographyLoadResult, existing: dict):
    obj = existing.get(code)
    if obj is None:
        result.created += 1
        obj = existing[code] = model.objects.create(code=code, **values)
        return obj
    changed = [k for k, v in values.items() if _value(obj, k) != _value(values, k)]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
        result.updated += 1
    else:
        result.unchanged += 1
    return obj


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
    existing = {m: {o.code: o for o in m.objects.all()} for m in (County, SubCounty, Ward)}
    counties = {}
    for pk, code, name in _rows("SELECT id, code, name FROM counties ORDER BY code"):
        lat, lon = coords.get(("county", pk), (None, None))
        counties[pk] = _upsert(
            County, code.removeprefix("KE"), {"name": name, "latitude": lat, "longitude": lon},
            result, existing[County],
        )  # fmt: skip
    sub_counties = {}
    for pk, code, name, county_pk in _rows(
        "SELECT id, code, name, county_id FROM constituencies ORDER BY code"
    ):
        lat, lon = coords.get(("constituency", pk), (None, None))
        values = {"name": name, "county": counties[county_pk], "latitude": lat, "longitude": lon}
        sub_counties[pk] = _upsert(SubCounty, code[-3:], values, result, existing[SubCounty])
    for code, name, constituency_pk in _rows(
        "SELECT code, name, constituency_id FROM wards ORDER BY code"
    ):
        values = {"name": name, "sub_county": sub_counties[constituency_pk]}
        _upsert(Ward, code.removeprefix("KEW-"), values, result, existing[Ward])
    return result
