"""Demo data of the residents register (issue 19): the places of Tumaini, a charitable
children's institution, per sex and age band. Idempotent: run again, it changes nothing."""

from __future__ import annotations

from case_apps.institutions.models import InstitutionCapacity
from tenants.models import Organisation

# (sex, age band, places): a home for younger children, more girls than boys, no adults
DEMO_PLACES = (
    ("SFEM", "0-5", 8),
    ("SFEM", "6-10", 10),
    ("SFEM", "11-15", 10),
    ("SFEM", "16-17", 4),
    ("SMAL", "0-5", 6),
    ("SMAL", "6-10", 8),
    ("SMAL", "11-15", 6),
    ("SMAL", "16-17", 2),
)


def capacity_load_demo(*, organisation: Organisation) -> int:
    """Tumaini's places, set where missing; how many groups it wrote. Run inside the
    organisation's workspace, as the other demo loaders are."""
    written = 0
    for sex, band, places in DEMO_PLACES:
        _, created = InstitutionCapacity.objects.get_or_create(
            sex=sex, age_band=band, defaults={"places": places}
        )
        written += created
    return written
