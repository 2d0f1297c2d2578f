"""Where a report goes: a pure function of the place it names and the offices there are.

To the DCS sub-county office of the sub-county; when the place names only a county, or the
sub-county has no office, to the county office; with no place, or no office at all, nowhere
(the national unrouted list, which DCS headquarters routes by hand).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SUB_COUNTY_OFFICE = "dcs_sub_county_office"
COUNTY_OFFICE = "dcs_county_office"
OFFICE_KINDS = (SUB_COUNTY_OFFICE, COUNTY_OFFICE)


@dataclass(frozen=True)
class Office:
    id: int
    kind: str
    county_code: str
    sub_county_code: str


@dataclass(frozen=True)
class Place:
    county_code: str = ""
    sub_county_code: str = ""
    ward_code: str = ""


def route(place: Place, offices: Iterable[Office]) -> int | None:
    """The id of the office a report about ``place`` goes to, or None (unrouted). The place
    is complete as far as it goes (a sub-county carries its county: services.place_complete);
    among offices of the same place the first created wins, so routing is stable."""
    sub_county_offices: dict[str, int] = {}
    county_offices: dict[str, int] = {}
    for office in sorted(offices, key=lambda o: o.id):
        if office.kind == SUB_COUNTY_OFFICE and office.sub_county_code:
            sub_county_offices.setdefault(office.sub_county_code, office.id)
        elif office.kind == COUNTY_OFFICE and office.county_code:
            county_offices.setdefault(office.county_code, office.id)
    if place.sub_county_code and place.sub_county_code in sub_county_offices:
        return sub_county_offices[place.sub_county_code]
    if place.county_code and place.county_code in county_offices:
        return county_offices[place.county_code]
    return None
