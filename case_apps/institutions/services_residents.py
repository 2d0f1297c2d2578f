"""Writes of the residents register (issue 19): the places the institution has per sex and age
band. Saved row by row so that the change log (django-auditlog) records each group's change."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from case_apps.institutions.models import InstitutionCapacity
from case_apps.institutions.selectors_residents import AGE_BANDS, CAPACITY_SEXES
from tenants.actor import Actor
from tenants.policy import Permission

MAX_PLACES = 10_000


def capacity_key(sex: str, age_band: str) -> str:
    """The field name of one group (a form field, an error's key): ``SMAL_0-5``."""
    return f"{sex}_{age_band}"


@transaction.atomic
def capacity_set(*, actor: Actor, places: dict[tuple[str, str], int | None]) -> int:
    """Set the places per (sex, age band), boys' and girls' (the right to supervise cases: a
    supervisor or the organisation's administrator). ``None`` removes a group's places. All
    or nothing: one bad figure refuses the whole change. Returns the groups changed."""
    actor.require(Permission.SUPERVISE_CASES)
    sexes = {sex.value for sex in CAPACITY_SEXES}
    errors: dict[str, list[str]] = {}
    for (sex, band), n in places.items():
        key = capacity_key(sex, band)
        if sex not in sexes or band not in AGE_BANDS:
            errors[key] = [gettext("Places are set for boys or girls in one age band.")]
        elif n is not None and (not isinstance(n, int) or n < 0 or n > MAX_PLACES):
            errors[key] = [
                gettext("Places are a whole number from 0 to %(n)d.") % {"n": MAX_PLACES}
            ]
    if errors:
        raise ValidationError(errors)
    existing = {(c.sex, c.age_band): c for c in InstitutionCapacity.objects.select_for_update()}
    changed = 0
    for (sex, band), n in places.items():
        current = existing.get((sex, band))
        if n is None:
            if current is not None:
                current.delete()
                changed += 1
        elif current is None:
            InstitutionCapacity.objects.create(sex=sex, age_band=band, places=n)
            changed += 1
        elif current.places != n:
            current.places = n
            current.save(update_fields=["places", "updated_at"])
            changed += 1
    return changed
