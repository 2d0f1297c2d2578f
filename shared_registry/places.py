"""Places chosen by name: county, sub-county and ward lookups, their names for display, and
the cascading picker every form uses (county filters sub-counties, sub-county filters wards).

Without JavaScript a picker is a plain select: all options, grouped by their parent, or only
the chosen parent's children once the form comes back; ``places.js`` narrows the lists as the
user chooses, from the lookup endpoints in ``shared_registry/api_places.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shared_registry.models import County, SubCounty, Ward

PLACES_API = "/api/v1/places/"
PLACE_CODE = re.compile(r"^\d{1,5}$")
BLANK = ("", "—")


@dataclass(frozen=True)
class PlaceOption:
    code: str
    name: str
    group: str = ""


def place_code_valid(code: str) -> bool:
    """Whether ``code`` has the shape of a county, sub-county or ward code (digits only)."""
    return bool(PLACE_CODE.match(code or ""))


def county_options() -> list[PlaceOption]:
    """All counties by name."""
    return [
        PlaceOption(code, name)
        for code, name in County.objects.order_by("name").values_list("code", "name")
    ]


def sub_county_options(*, county_code: str = "") -> list[PlaceOption]:
    """The sub-counties of one county, or all of them grouped by county when none is given."""
    rows = SubCounty.objects.select_related("county").order_by("county__name", "name")
    if county_code:
        rows = rows.filter(county__code=county_code)
    return [PlaceOption(s.code, s.name, "" if county_code else s.county.name) for s in rows]


def ward_options(*, county_code: str = "", sub_county_code: str = "") -> list[PlaceOption]:
    """The wards of one sub-county; else of one county (grouped by sub-county); else all."""
    rows = Ward.objects.select_related("sub_county").order_by("sub_county__name", "name")
    if sub_county_code:
        rows = rows.filter(sub_county__code=sub_county_code)
    elif county_code:
        rows = rows.filter(sub_county__county__code=county_code)
    grouped = not sub_county_code
    return [PlaceOption(w.code, w.name, w.sub_county.name if grouped else "") for w in rows]


@dataclass(frozen=True)
class PlaceNames:
    county: str = ""
    sub_county: str = ""
    ward: str = ""
    codes: str = ""

    def __str__(self) -> str:
        return ", ".join(p for p in (self.ward, self.sub_county, self.county) if p)


def place_names(
    county_code: str = "", sub_county_code: str = "", ward_code: str = ""
) -> PlaceNames:
    """The names of a place given by its codes (an unknown code shows as itself)."""
    county = County.objects.filter(code=county_code).first() if county_code else None
    sub = SubCounty.objects.filter(code=sub_county_code).first() if sub_county_code else None
    ward = Ward.objects.filter(code=ward_code).first() if ward_code else None
    codes = " / ".join(c for c in (county_code, sub_county_code, ward_code) if c)
    return PlaceNames(
        county=county.name if county else county_code,
        sub_county=sub.name if sub else sub_county_code,
        ward=ward.name if ward else ward_code,
        codes=codes,
    )


def _choices(options: list[PlaceOption]) -> list:
    """Select choices: flat, or grouped under each option's group name."""
    if not any(o.group for o in options):
        return [BLANK] + [(o.code, o.name) for o in options]
    grouped: dict[str, list] = {}
    for o in options:
        grouped.setdefault(o.group, []).append((o.code, o.name))
    return [BLANK] + list(grouped.items())


class PlacePickerMixin:
    """Gives a form cascading county / sub-county / ward selects.

    ``place_fields`` names the form's county, sub-county and ward fields (None for a level
    the form does not ask). Declare them with ``place_field()``; the mixin fills their
    choices, marks them for ``places.js`` and checks in ``clean`` that each exists and
    lies inside the one above (a sub-county or ward alone fills in the levels above it).
    """

    place_fields: tuple[str, str | None, str | None] = (
        "county_code",
        "sub_county_code",
        "ward_code",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._places_setup()

    def _place_value(self, name: str | None) -> str:
        if not name:
            return ""
        if self.is_bound:
            value = self.data.get(self.add_prefix(name), "")
        else:
            value = self.initial.get(name, self.fields[name].initial) or ""
        value = str(value).strip()
        return value if place_code_valid(value) else ""

    def _places_setup(self) -> None:
        county_name, sub_name, ward_name = self.place_fields
        county = self._place_value(county_name)
        sub = self._place_value(sub_name)
        self.fields[county_name].widget.choices = _choices(county_options())
        levels = [county_name]
        if sub_name:
            self.fields[sub_name].widget.choices = _choices(sub_county_options(county_code=county))
            levels.append(sub_name)
        if ward_name:
            self.fields[ward_name].widget.choices = _choices(
                ward_options(county_code=county, sub_county_code=sub)
            )
            levels.append(ward_name)
        # Each level tells places.js which select to refill and where from.
        for i, (parent, child) in enumerate(zip(levels, levels[1:], strict=False)):
            attrs = self.fields[parent].widget.attrs
            attrs["data-places-child"] = self[child].auto_id
            attrs["data-places-url"] = PLACES_API + (
                "sub-counties" if child == sub_name else "wards"
            )
            attrs["data-places-param"] = "county" if parent == county_name else "sub_county"
            if i:
                attrs["data-places-above"] = self[levels[i - 1]].auto_id
        for name in levels:
            self.fields[name].widget.attrs["data-places"] = "1"

    def clean(self):
        cleaned = super().clean()
        county_name, sub_name, ward_name = self.place_fields
        county = cleaned.get(county_name) or ""
        sub = cleaned.get(sub_name) or "" if sub_name else ""
        ward = cleaned.get(ward_name) or "" if ward_name else ""
        if ward:
            found = Ward.objects.select_related("sub_county__county").filter(code=ward).first()
            if found is None:
                self.add_error(ward_name, gettext("Choose a ward from the list."))
            elif sub and found.sub_county.code != sub:
                self.add_error(ward_name, gettext("This ward is not in the chosen sub-county."))
            else:
                sub = cleaned[sub_name] = sub or found.sub_county.code
        if sub:
            found = SubCounty.objects.select_related("county").filter(code=sub).first()
            if found is None:
                self.add_error(sub_name, gettext("Choose a sub-county from the list."))
            elif county and found.county.code != county:
                self.add_error(sub_name, gettext("This sub-county is not in the chosen county."))
            else:
                county = cleaned[county_name] = county or found.county.code
        if county and not County.objects.filter(code=county).exists():
            self.add_error(county_name, gettext("Choose a county from the list."))
        return cleaned


def place_field(label, *, required: bool = False, help_text: str = "") -> forms.CharField:
    """A county, sub-county or ward select whose choices ``PlacePickerMixin`` fills."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=5,
        help_text=help_text,
        widget=forms.Select(attrs={"class": "place-picker"}),
    )


COUNTY_LABEL = _("County")
SUB_COUNTY_LABEL = _("Sub-county")
WARD_LABEL = _("Ward")
