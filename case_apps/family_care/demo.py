"""Demo family care for the embedded mode: one child in foster care with two foster carers,
a follow-up, and a certificate that expires within 60 days (so the morning list shows it)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from case_apps.cases import services as case_services
from case_apps.family_care import services
from case_apps.family_care.models import AlternativeCare
from shared_registry.services import person_register
from tenants.actor import member_actor
from tenants.models import Organisation, User

CARERS = [
    # first name, surname, sex, year of birth, relationship
    ("Daniel", "Omondi", "SMAL", 1979, "CGFF"),
    ("Rose", "Omondi", "SFEM", 1983, "CGFM"),
]


def _person(organisation: Organisation, worker: User, first, surname, sex, year):
    return person_register(
        first_name=first,
        surname=surname,
        sex=sex,
        birth_year=year,
        county_code="042",
        sub_county_code="240",
        created_by=worker,
        organisation=organisation,
        queue_duplicates=False,
    )


@transaction.atomic
def family_care_load_demo(*, organisation: Organisation, worker: User) -> int:
    """A child in foster care (certificate expiring in 45 days) with a foster father and
    mother and one foster care follow-up; run inside the organisation's workspace. Does
    nothing when the organisation already records family care. Returns the records made."""
    if AlternativeCare.objects.exists():
        return 0
    actor = member_actor(worker, organisation)
    today = timezone.localdate()
    child = _person(organisation, worker, "Baraka", "Odera", "SMAL", today.year - 8)
    case = case_services.case_open(
        actor=actor,
        child=child,
        date_reported=today - timedelta(days=120),
        how_reported="walk_in",
        reporter_type="CRCH",
        risk_level="RLMD",
        occurrence_county_code="042",
        occurrence_sub_county_code="240",
        categories=[case_services.CategoryInput(category_code="CIDC", sub_category_codes=[])],
        narrative="Demo case: an orphaned boy placed with foster parents.",
    )
    care = services.care_record(
        actor=actor,
        case=case,
        care_type="AFFC",
        started_on=today - timedelta(days=90),
        certificate_number="FC/KSM/2026/014",
        certificate_expires_on=today + timedelta(days=45),
        court_name="Kisumu Children's Court",
        court_file_number="CP 31/2026",
    )
    for first, surname, sex, year, relationship in CARERS:
        person = _person(organisation, worker, first, surname, sex, year)
        services.carer_add(actor=actor, care=care, person=person, relationship_code=relationship)
    services.care_follow_up_record(
        actor=actor,
        care=care,
        kind="FFOC",
        visited_on=today - timedelta(days=30),
        wellbeing="FWGO",
        findings="Settled with the family and attending school.",
        next_visit_on=today + timedelta(days=30),
    )
    return 1
