"""Discharge (issue 19 point 4): a discharge type sets the residential status, ends the public
residence and writes the fact, after which the child can be admitted elsewhere; bad input is
refused naming the field; a supervisor may undo a discharge entered by mistake, refused when
the child is resident elsewhere by then."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from case_apps.cases.models import CaseEvent
from case_apps.institutions.models import Admission, ResidentialStatus
from case_apps.institutions.services_admissions import discharge_undo, resident_discharge
from case_apps.outbox.models import OutboxEvent
from case_apps.outbox.services import RETRACTED
from shared_registry.services_residence import residence_current
from tenants.actor import Forbidden
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, make_child, team  # noqa: F401 (fixture)
from tests.institutions.conftest import make_admission

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _discharge(organisation, user, admission, **overrides):
    fields = {"discharged_on": TODAY(), "discharge_type": "DTRI", "notes": ""}
    fields.update(overrides)
    with workspace_context(organisation):
        return resident_discharge(
            actor=actor_of(organisation, user), admission=admission.pk, **fields
        )


@pytest.mark.parametrize(
    ("discharge_type", "status"),
    [
        ("DTRI", ResidentialStatus.REINTEGRATED),
        ("DTBO", ResidentialStatus.TRANSFERRED),
        ("DTAF", ResidentialStatus.FAMILY_CARE),
        ("DTEO", ResidentialStatus.DISCHARGED),
    ],
)
def test_the_discharge_type_sets_the_residential_status(world, discharge_type, status):
    admission = make_admission(world.acme, world.acme_worker)
    done = _discharge(world.acme, world.acme_worker, admission, discharge_type=discharge_type)
    assert (done.residential_status, done.discharge_type) == (status, discharge_type)
    assert residence_current(admission.case.child_id) is None


def test_a_discharge_ends_residence_writes_its_fact_and_frees_the_child(world, institutions_world):
    child = make_child("Atieno", "Leaving")
    admission = make_admission(world.acme, world.acme_worker, child)
    _discharge(world.acme, world.acme_worker, admission, notes="Family traced")
    with workspace_context(world.acme):
        fact = OutboxEvent.objects.get(kind="resident_discharged")
        assert fact.source == f"case:{admission.case_id}:discharge:{admission.pk}"
        assert CaseEvent.objects.filter(case=admission.case, action="resident_discharged").exists()
    again = make_admission(institutions_world.rescue, institutions_world.rescue_worker, child)
    assert residence_current(child.pk).organisation == institutions_world.rescue
    assert again.is_resident


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"discharge_type": ""}, "discharge_type"),
        ({"discharge_type": "XXXX"}, "discharge_type"),
        ({"discharged_on": TODAY() + timedelta(days=1)}, "discharged_on"),
        ({"discharged_on": TODAY() - timedelta(days=30)}, "discharged_on"),  # before admission
        ({"status": ResidentialStatus.RESIDENT}, "status"),
    ],
)
def test_bad_discharges_are_refused_naming_the_field(world, overrides, field):
    admission = make_admission(world.acme, world.acme_worker)
    with pytest.raises(ValidationError) as refused:
        _discharge(world.acme, world.acme_worker, admission, **overrides)
    assert field in refused.value.message_dict
    with workspace_context(world.acme):
        assert Admission.objects.get(pk=admission.pk).is_resident
    assert residence_current(admission.case.child_id) is not None


def test_a_residence_ends_once(world):
    admission = make_admission(world.acme, world.acme_worker)
    _discharge(world.acme, world.acme_worker, admission)
    with pytest.raises(ValidationError):
        _discharge(world.acme, world.acme_worker, admission)


def test_a_supervisor_undoes_a_mistaken_discharge(world, team):  # noqa: F811
    admission = make_admission(world.acme, team.worker)
    _discharge(world.acme, team.worker, admission)
    with workspace_context(world.acme):
        with pytest.raises(Forbidden):  # a case worker may not
            discharge_undo(
                actor=actor_of(world.acme, team.worker), admission=admission, reason="Typed twice"
            )
        undone = discharge_undo(
            actor=actor_of(world.acme, team.supervisor),
            admission=admission,
            reason="Discharged the wrong child",
        )
        assert undone.is_resident and undone.residential_status == ResidentialStatus.RESIDENT
        assert undone.discharge_type == ""
        assert CaseEvent.objects.filter(action="discharge_undone").exists()
        retraction = OutboxEvent.objects.filter(kind=RETRACTED).latest("pk")
        assert retraction.source == f"case:{admission.case_id}:discharge:{admission.pk}"
    assert residence_current(admission.case.child_id).organisation == world.acme


def test_an_undo_is_refused_when_the_child_is_resident_elsewhere(
    world,
    institutions_world,
    team,  # noqa: F811
):
    child = make_child("Odhiambo", "Moved")
    admission = make_admission(world.acme, team.worker, child)
    _discharge(world.acme, team.worker, admission)
    make_admission(institutions_world.rescue, institutions_world.rescue_worker, child)
    with workspace_context(world.acme), pytest.raises(ValidationError) as refused:
        discharge_undo(
            actor=actor_of(world.acme, team.supervisor), admission=admission, reason="By mistake"
        )
    assert "Kisumu Rescue Centre" in str(refused.value)
    assert residence_current(child.pk).organisation == institutions_world.rescue
