"""Family care fixtures: another institution (a statutory rescue centre with its case
worker, for isolation) and helpers that record care on a case of acme (a CCI) as its case
worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from case_apps.family_care import services
from provisioning.services import organisation_provision
from tenants.models import Organisation, OrganisationKind, Role, User
from tenants.schema import workspace_context
from tenants.services import membership_grant, organisation_create
from tests.case_apps.conftest import actor_of, make_child, open_case
from tests.factories import UserFactory

TODAY = timezone.localdate


@dataclass
class OtherInstitution:
    organisation: Organisation
    worker: User


@pytest.fixture(scope="session")
def other_institution(world, django_db_blocker) -> OtherInstitution:
    """A statutory institution of its own (not acme), with a case worker."""
    with django_db_blocker.unblock():
        organisation = organisation_provision(
            organisation=organisation_create(
                name="Nyalenda Rescue Centre",
                slug="nyalenda-rescue",
                kind=OrganisationKind.STATUTORY_INSTITUTION,
                county_code="042",
                sub_county_code="240",
            )
        )
        worker = UserFactory(email="worker@nyalenda-rescue.test", full_name="Nuru Nyalenda")
        membership_grant(user=worker, organisation=organisation, roles=[Role.CASE_WORKER])
    return OtherInstitution(organisation, worker)


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
