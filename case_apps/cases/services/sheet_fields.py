"""Checks of the record sheet's places, police and court details and summons, shared by
opening a case and correcting its sheet."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext

from case_apps.cases.models import CaseRecord
from case_apps.cases.services.common import Codes, check_geography
from shared_registry.models import Ward
from shared_registry.plausibility import implausible_date

# Free-text fields of the sheet checked against their column's width (a 422, never a 500)
TEXT_FIELDS = (
    "police_station",
    "ob_number",
    "court_name",
    "court_file_number",
    "occurrence_village",
    "residence_village",
)


def check_ward(codes: Codes, field: str, ward_code: str, sub_county_code: str) -> None:
    """A ward chosen from the geography: a real ward, inside the chosen sub-county (a ward
    needs its sub-county, so the place reads the same on every screen)."""
    if not ward_code:
        return
    ward = Ward.objects.filter(code=ward_code).select_related("sub_county").first()
    if ward is None:
        codes.add(field, gettext("Choose a ward from the list."))
    elif not sub_county_code:
        codes.add(field, gettext("Choose the sub-county of this ward first."))
    elif ward.sub_county.code != sub_county_code:
        codes.add(field, gettext("This ward is not in the chosen sub-county."))


def check_place(codes: Codes, prefix: str, values: dict) -> None:
    """The county, sub-county and ward named ``<prefix>_county_code``... belong together."""
    county = values.get(f"{prefix}_county_code") or ""
    sub_county = values.get(f"{prefix}_sub_county_code") or ""
    check_geography(codes, county, sub_county, field_prefix=prefix)
    check_ward(codes, f"{prefix}_ward_code", values.get(f"{prefix}_ward_code") or "", sub_county)


def check_sheet_fields(codes: Codes, values: dict, date_reported: date) -> None:
    """Places of occurrence and of residence, police and court details, the summons."""
    check_place(codes, "occurrence", values)
    check_place(codes, "residence", values)
    for name in TEXT_FIELDS:
        limit = CaseRecord._meta.get_field(name).max_length
        if len(values.get(name) or "") > limit:
            codes.add(name, gettext("Keep this under %(n)s characters.") % {"n": limit + 1})
    issued, issued_on = values.get("summons_issued"), values.get("summons_issued_on")
    if issued and not issued_on:
        codes.add("summons_issued_on", gettext("Give the date the summons was issued."))
    if issued_on and not issued:
        codes.add(
            "summons_issued", gettext("Tick 'summons issued' when you give the date it was issued.")
        )
    if issued_on:
        if issued_on > timezone.localdate():
            codes.add("summons_issued_on", gettext("A summons cannot be dated in the future."))
        elif issued_on < date_reported:
            codes.add(
                "summons_issued_on",
                gettext("A summons cannot be issued before the case was reported."),
            )
        elif problem := implausible_date(issued_on, values.get("child")):
            codes.add("summons_issued_on", problem)
