"""Demo of statutory institution vacancies (the coordinator wires it into the run command):
the office's officer applies for two children before the court; DCS headquarters (the
approver) confirms one to the institution, whose members then find it under "Expected
admissions"; the other waits in HQ's console.

It lives in the institutions app, not in sharing, since the office applies from cases of
its own (the import contract keeps sharing free of case apps)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from case_apps.cases import services
from case_apps.institutions.services_vacancies import vacancy_apply_from_case
from shared_registry.services import person_register
from sharing.models_vacancies import VacancyApplication
from sharing.services_vacancies import vacancy_confirm
from tenants.actor import Actor, member_actor
from tenants.models import Organisation, User

CHILDREN = [
    # first name, surname, sex, age, institution type wanted, judge, months
    ("Brian", "Omondi", "SMAL", 15, "TNRR", "Hon. J. Were", 6),
    ("Mercy", "Adhiambo", "SFEM", 13, "TNRH", "Hon. L. Kemunto", None),
]


@transaction.atomic
def vacancy_load_demo(
    *, office: Organisation, office_worker: User, institution: Organisation, approver: User
) -> int:
    """Run inside the office's workspace (a DCS county or sub-county office): two children
    with cases and vacancy applications, the first confirmed by ``approver`` (a national
    administrator) to ``institution`` (an active statutory institution), the second waiting
    for HQ. Does nothing when the office already applied; returns how many it made."""
    if VacancyApplication.objects.filter(applicant=office).exists():
        return 0
    actor = member_actor(office_worker, office)
    today = timezone.localdate()
    made = 0
    for index, (first, surname, sex, age, wanted, judge, months) in enumerate(CHILDREN):
        child = person_register(
            first_name=first,
            surname=surname,
            sex=sex,
            birth_year=today.year - age,
            created_by=office_worker,
            organisation=office,
            queue_duplicates=False,
        )
        case = services.case_open(
            actor=actor,
            child=child,
            date_reported=today - timedelta(days=10 + index),
            how_reported="police",
            reporter_type="CRPO",
            risk_level="RLHG",
            categories=[services.CategoryInput(category_code="CDIS")],
            narrative="Demo case: brought before the children's court, a place is needed.",
        )
        application = vacancy_apply_from_case(
            actor=actor,
            case=case,
            court_number=f"CMCC {20 + index}/{today.year}",
            judge=judge,
            court="Kisumu Children's Court",
            next_mention_on=today + timedelta(days=14 + 7 * index),
            institution_type=wanted,
            notes="The child cannot safely go home before the court decides.",
        )
        if months:
            vacancy_confirm(
                actor=Actor(user=approver),
                application=application,
                institution=institution,
                months_approved=months,
                any_type=True,
            )
        made += 1
    return made
