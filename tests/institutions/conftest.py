"""Institution fixtures: acme (a CCI, from the session's world) and, made once per session,
a DCS sub-county children office and a statutory institution (a rescue centre), each with
a case worker; ``make_admission`` puts a child in residence without the admission service
(which has tests of its own)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from case_apps.institutions.models import Admission, AdmissionSource
from provisioning.services import organisation_provision
from shared_registry.services_residence import residence_begin
from tenants.models import Organisation, OrganisationKind, Role, User
from tenants.schema import workspace_context
from tenants.services import membership_grant, organisation_create
from tests.case_apps.conftest import actor_of, make_child, open_case
from tests.factories import UserFactory


@dataclass
class InstitutionsWorld:
    office: Organisation  # Kisumu Central sub-county children office
    rescue: Organisation  # a statutory institution (rescue centre)
    office_worker: User
    rescue_worker: User


@pytest.fixture(scope="session")
def institutions_world(world, django_db_blocker) -> InstitutionsWorld:
    with django_db_blocker.unblock():
        office = organisation_provision(
            organisation=organisation_create(
                name="Kisumu Central Sub-County Children Office",
                slug="kisumu-central",
                kind=OrganisationKind.DCS_SUB_COUNTY_OFFICE,
                county_code="042",
                sub_county_code="240",
            )
        )
        rescue = organisation_provision(
            organisation=organisation_create(
                name="Kisumu Rescue Centre",
                slug="kisumu-rescue",
                kind=OrganisationKind.STATUTORY_INSTITUTION,
                county_code="042",
                sub_county_code="240",
            )
        )
        office_worker = UserFactory(email="worker@kisumu-central.test", full_name="Odero Officer")
        rescue_worker = UserFactory(email="worker@kisumu-rescue.test", full_name="Rose Rescue")
        membership_grant(user=office_worker, organisation=office, roles=[Role.CASE_WORKER])
        membership_grant(user=rescue_worker, organisation=rescue, roles=[Role.CASE_WORKER])
    return InstitutionsWorld(office, rescue, office_worker, rescue_worker)


def make_admission(organisation, user, child=None, **overrides) -> Admission:
    """A case opened for the child and a running admission with its national residence,
    written directly (not through the admission service)."""
    child = child or make_child()
    case = open_case(organisation, user, child=child)
    fields = {
        "admission_number": "",
        "admitted_on": timezone.localdate() - timedelta(days=2),
        "admission_type": "TANA",
        "admission_reason": "RACP",
        "source": AdmissionSource.DIRECT,
        "officer": actor_of(organisation, user).user,
    }
    fields.update(overrides)
    with workspace_context(organisation):
        admission = Admission.objects.create(case=case, **fields)
        residence_begin(
            person=child,
            organisation=organisation,
            admission_id=admission.pk,
            admitted_on=admission.admitted_on,
        )
    return admission


ADMITTED_LONG_AGO = date(2024, 1, 15)
