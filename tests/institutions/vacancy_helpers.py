"""What the vacancy tests share: an application from the sub-county office's case, HQ's
confirmation to the rescue centre."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from case_apps.institutions.services_vacancies import vacancy_apply_from_case
from sharing.services_vacancies import vacancy_confirm
from tenants.actor import Actor
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, make_child, open_case


def TODAY():  # noqa: N802 (read as a constant)
    return timezone.localdate()


def application_fields(**overrides) -> dict:
    fields = {
        "court_number": "CR 12/2026",
        "judge": "Hon. W. Achieng",
        "court": "Kisumu Law Courts",
        "next_mention_on": TODAY() + timedelta(days=14),
        "institution_type": "TNRR",
        "notes": "No safe place at home.",
    }
    fields.update(overrides)
    return fields


def apply(iw, child=None, case=None, **overrides):
    """The office's case worker applies for a vacancy for a new case's child."""
    child = child or make_child("Atieno", "Vacancy")
    case = case or open_case(iw.office, iw.office_worker, child=child)
    with workspace_context(iw.office):
        return vacancy_apply_from_case(
            actor=actor_of(iw.office, iw.office_worker),
            case=case.pk,
            **application_fields(**overrides),
        )


def confirm(world, iw, application, months: int = 6):
    return vacancy_confirm(
        actor=Actor(user=world.hq_admin),
        application=application.pk,
        institution=iw.rescue.pk,
        months_approved=months,
    )
