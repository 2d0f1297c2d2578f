"""Plausible dates on a child's records: none before the child was born, none before 1990
(docs/security.md, implausible values). Here, beside the person, so every case app (cases,
OVC) bounds its dates with the one rule."""

from __future__ import annotations

from datetime import date

from django.utils import formats
from django.utils.translation import gettext

from shared_registry.models import Person

EARLIEST_RECORD_DATE = date(1990, 1, 1)  # no CPIMS record, paper or digital, predates this


def child_born_on(child: Person) -> date | None:
    """The child's date of birth, or 1 January of the year of birth when only that is known."""
    if child.date_of_birth:
        return child.date_of_birth
    return date(child.birth_year, 1, 1) if child.birth_year else None


def implausible_date(value: date, child: Person | None) -> str:
    """Why a date on a record about this child cannot be right ("" when it can). Without a
    child (a household's assessment) only the earliest date applies."""
    if value < EARLIEST_RECORD_DATE:
        return gettext("Dates before 1 January 1990 are not accepted.")
    born = child_born_on(child) if child is not None else None
    if born and value < born:
        return gettext("The date is before the child was born (%(born)s).") % {
            "born": formats.date_format(born, "j F Y")
        }
    return ""
