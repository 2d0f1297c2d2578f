"""Family care fixtures: the institutions' world (a sub-county office and a rescue centre)
and helpers that record care on a case of acme (a CCI) as its case worker."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from case_apps.family_care import services
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, make_child, open_case
from tests.institutions.conftest import institutions_world, make_admission  # noqa: F401

TODAY = timezone.localdate


def foster_values(**overrides) -> dict:
    values = {
        "care_type": "AFFC",
        "started_on": TODAY() - timedelta(days=2),
        "certificate_number": "FC/042/118",
        "certificate_expires_on": TODAY() + timedelta(days=365),
        "court_name": "Kisumu Children's Court",
        "court_file_number": "CP 7/2026",
    }
    values.update(overrides)
    return values


def record_care(organisation, user, case=None, **overrides):
    """A foster care record on a (new) case of the organisation."""
    case = case or open_case(organisation, user, child=make_child("Achieng", "Fostered"))
    with workspace_context(organisation):
        return services.care_record(
            actor=actor_of(organisation, user), case=case.pk, **foster_values(**overrides)
        )
