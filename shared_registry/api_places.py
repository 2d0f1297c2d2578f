"""Place lookups for the cascading pickers (django-ninja), on the platform API (the sign-up
form is filled before anyone has an account) and on every workspace API.

A code of the wrong shape answers 422 naming the parameter; a well-formed code that names no
place answers an empty list."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from shared_registry import places
from tenants.api_errors import api_invalid
from tenants.api_input import Code


class PlaceOut(Schema):
    code: str
    name: str
    group: str = ""


def _checked(**codes: str) -> None:
    """422 naming each parameter whose value is not a place code."""
    errors = {
        name: [_("Enter a place code of digits only, e.g. 042.")]
        for name, code in codes.items()
        if code and not places.place_code_valid(code)
    }
    if errors:
        raise api_invalid(ValidationError(errors))


def _out(options: list[places.PlaceOption]) -> list[dict]:
    return [o.__dict__ for o in options]


def places_router() -> Router:
    """A router of the three lookups (one per API: a router attaches to one API only)."""
    router = Router(tags=["places"])

    @router.get("/places/counties", response=list[PlaceOut], summary="Counties by name")
    def counties(request: HttpRequest):
        return _out(places.county_options())

    @router.get(
        "/places/sub-counties",
        response=list[PlaceOut],
        summary="Sub-counties of a county (all, grouped by county, without one)",
    )
    def sub_counties(request: HttpRequest, county: Code = ""):
        county = county.strip()
        _checked(county=county)
        return _out(places.sub_county_options(county_code=county))

    @router.get(
        "/places/wards",
        response=list[PlaceOut],
        summary="Wards of a sub-county (of a county, or all, grouped by sub-county)",
    )
    def wards(request: HttpRequest, sub_county: Code = "", county: Code = ""):
        sub_county, county = sub_county.strip(), county.strip()
        _checked(sub_county=sub_county, county=county)
        return _out(places.ward_options(county_code=county, sub_county_code=sub_county))

    return router


platform_places_router = places_router()
workspace_places_router = places_router()
