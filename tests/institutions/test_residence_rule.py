"""A child is resident in at most one institution at a time: the admission service refuses a
second admission elsewhere naming the first, and the database refuses it even when code
forgets to ask (issue 19)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from case_apps.cases.services import CategoryInput
from case_apps.institutions.models import Admission, AdmissionSource, ResidentialStatus
from case_apps.institutions.services_admissions import admission_open, resident_discharge
from case_apps.outbox.models import OutboxEvent
from shared_registry.models_residence import Residence
from shared_registry.services_residence import residence_current
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, make_child

pytestmark = pytest.mark.django_db
TEN_DAYS_AGO = timezone.localdate() - timedelta(days=10)


def _admit(organisation, user, child, **overrides):
    fields = {
        "admitted_on": TEN_DAYS_AGO,
        "admission_type": "TANA",
        "admission_reason": "RACP",
        "source": AdmissionSource.DIRECT,
        "categories": [CategoryInput(category_code="CDIS", sub_category_codes=[])],
    }
    fields.update(overrides)
    with workspace_context(organisation):
        return admission_open(actor=actor_of(organisation, user), child=child, **fields)


def test_a_second_admission_elsewhere_is_refused_naming_the_first(world, institutions_world):
    child = make_child("Otieno", "Resident")
    first = _admit(world.acme, world.acme_worker, child)
    assert residence_current(child.pk).organisation == world.acme
    with pytest.raises(ValidationError) as refused:
        _admit(institutions_world.rescue, institutions_world.rescue_worker, child)
    assert "Acme Children's Home" in str(refused.value)
    with workspace_context(institutions_world.rescue):
        assert not Admission.objects.exists()  # nothing half-saved: no admission, no case
    with workspace_context(world.acme):
        resident_discharge(
            actor=actor_of(world.acme, world.acme_worker),
            admission=first,
            discharged_on=timezone.localdate(),
            status=ResidentialStatus.REINTEGRATED,
        )
        kinds = set(OutboxEvent.objects.values_list("kind", flat=True))
    assert {"resident_admitted", "resident_discharged"} <= kinds
    assert residence_current(child.pk) is None
    again = _admit(institutions_world.rescue, institutions_world.rescue_worker, child)
    assert again.residential_status == ResidentialStatus.RESIDENT


def test_the_database_refuses_two_running_residences(world, institutions_world):
    child = make_child("Akoth", "Twice")
    Residence.objects.create(
        person=child, organisation=world.acme, admission_id=1, admitted_on=TEN_DAYS_AGO
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Residence.objects.create(
            person=child,
            organisation=institutions_world.rescue,
            admission_id=1,
            admitted_on=TEN_DAYS_AGO,
        )


def test_expected_exit_follows_the_committal_period(world):
    child = make_child("Juma", "Committed")
    admission = _admit(
        world.acme,
        world.acme_worker,
        child,
        admitted_on=timezone.localdate().replace(day=1) - timedelta(days=1),
        committal_period=3,
        committal_period_unit="years",
    )
    assert admission.expected_exit_on.year == admission.admitted_on.year + 3
