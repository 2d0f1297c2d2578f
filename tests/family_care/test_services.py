"""Family care services: recording care with its rules (dates, certificate, family-based
types), carers (never the child), follow-ups, the end of care, the certificates about to
expire, and the discharge from an institution to family care in one transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from case_apps.cases.models import CaseCaregiver, CaseEvent
from case_apps.cases.presenters import present_timeline
from case_apps.family_care import services
from case_apps.family_care.demo import family_care_load_demo
from case_apps.family_care.models import AlternativeCare, AlternativeCareCarer
from case_apps.family_care.selectors import certificates_expiring
from case_apps.institutions.models import Admission, ResidentialStatus
from shared_registry.models import Person
from shared_registry.services_residence import residence_current
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, make_child, open_case
from tests.family_care.conftest import TODAY, foster_values, record_care
from tests.institutions.conftest import make_admission

pytestmark = pytest.mark.django_db


def _refused(call) -> dict:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


def test_foster_care_is_recorded_with_its_certificate_and_on_the_timeline(world):
    care = record_care(world.acme, world.acme_worker)
    assert care.care_type == "AFFC" and care.is_running
    with workspace_context(world.acme):
        assert CaseEvent.objects.filter(case=care.case, action="family_care_began").exists()
        titles = [item.title for item in present_timeline(care.case)]
    assert "Family care began: Foster care" in titles


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"care_type": "AFIC"}, "care_type"),  # institutional care is not family-based
        ({"care_type": "ZZZZ"}, "care_type"),
        ({"certificate_number": ""}, "certificate_number"),  # foster care needs it
        ({"certificate_expires_on": None}, "certificate_expires_on"),
        ({"started_on": TODAY() + timedelta(days=1)}, "started_on"),
        ({"started_on": TODAY() - timedelta(days=30)}, "started_on"),  # before reported
        ({"certificate_expires_on": TODAY() - timedelta(days=3)}, "certificate_expires_on"),
        ({"care_type": "AFCA"}, "adoption_kind"),  # an adoption says which kind
        ({"adoption_kind": "local"}, "adoption_kind"),  # only for an adoption
    ],
)
def test_care_is_refused_naming_the_field(world, overrides, field):
    case = open_case(world.acme, world.acme_worker)
    with workspace_context(world.acme):
        errors = _refused(
            lambda: services.care_record(
                actor=actor_of(world.acme, world.acme_worker),
                case=case.pk,
                **foster_values(**overrides),
            )
        )
        assert field in errors
        assert not AlternativeCare.objects.filter(case=case).exists()


def test_guardianship_needs_no_certificate_and_an_adoption_its_kind(world):
    guardianship = record_care(
        world.acme,
        world.acme_worker,
        care_type="AFCG",
        certificate_number="",
        certificate_expires_on=None,
    )
    adoption = record_care(world.acme, world.acme_worker, care_type="AFCA", adoption_kind="local")
    assert guardianship.certificate_number == "" and adoption.adoption_kind == "local"


def test_carers_are_the_cases_caregivers_and_never_the_child(world):
    care = record_care(world.acme, world.acme_worker)
    actor = actor_of(world.acme, world.acme_worker)
    mother = make_child("Mary", "Mlezi", sex="SFEM", date_of_birth=None)
    with workspace_context(world.acme):
        carer = services.carer_add(
            actor=actor, care=care.pk, person=mother, relationship_code="CGFM"
        )
        caregiver = CaseCaregiver.objects.get(pk=carer.caregiver_id)
        assert (caregiver.case_id, caregiver.relationship_code) == (care.case_id, "CGFM")
        errors = _refused(
            lambda: services.carer_add(
                actor=actor, care=care.pk, person=care.case.child, relationship_code="CGFF"
            )
        )
        assert "person" in errors
        assert "relationship_code" in _refused(
            lambda: services.carer_add(
                actor=actor, care=care.pk, person=make_child("Baba"), relationship_code="XXXX"
            )
        )
        services.carer_remove(actor=actor, care=care.pk, carer_id=carer.pk)
        assert not AlternativeCareCarer.objects.filter(care=care).exists()
        assert CaseCaregiver.objects.filter(pk=caregiver.pk).exists()  # still named on the case


def test_follow_ups_are_not_before_the_care_began_and_care_ends_once(world):
    care = record_care(world.acme, world.acme_worker)
    actor = actor_of(world.acme, world.acme_worker)
    with workspace_context(world.acme):
        errors = _refused(
            lambda: services.care_follow_up_record(
                actor=actor,
                care=care.pk,
                kind="FFOC",
                visited_on=care.started_on - timedelta(days=1),
                wellbeing="FWGO",
            )
        )
        assert "visited_on" in errors
        assert {"kind", "wellbeing"} <= set(
            _refused(
                lambda: services.care_follow_up_record(
                    actor=actor, care=care.pk, kind="NOPE", visited_on=TODAY(), wellbeing="X"
                )
            )
        )
        visit = services.care_follow_up_record(
            actor=actor,
            care=care.pk,
            kind="FFOC",
            visited_on=TODAY(),
            wellbeing="FWFA",
            findings="Settled at school.",
            next_visit_on=TODAY() + timedelta(days=30),
        )
        assert visit.care_id == care.pk
        assert "ended_on" in _refused(
            lambda: services.care_end(
                actor=actor, care=care.pk, ended_on=care.started_on - timedelta(days=1)
            )
        )
        ended = services.care_end(actor=actor, care=care.pk, ended_on=TODAY())
        assert ended.ended_on == TODAY()
        assert "ended_on" in _refused(
            lambda: services.care_end(actor=actor, care=care.pk, ended_on=TODAY())
        )
        kinds = {item.kind for item in present_timeline(care.case)}
    assert {"family_care_follow_up", "family_care_ended"} <= kinds


def test_certificates_expiring_lists_running_care_soonest_first(world):
    soon = record_care(
        world.acme, world.acme_worker, certificate_expires_on=TODAY() + timedelta(days=20)
    )
    sooner = record_care(
        world.acme, world.acme_worker, certificate_expires_on=TODAY() + timedelta(days=5)
    )
    record_care(world.acme, world.acme_worker, certificate_expires_on=TODAY() + timedelta(days=90))
    with workspace_context(world.acme):
        rows = certificates_expiring(within_days=60, limit=10)
    assert [row["pk"] for row in rows][:2] == [sooner.pk, soon.pk]
    assert all(row["certificate_expires_on"] <= TODAY() + timedelta(days=60) for row in rows)
    assert rows[0]["child_name"] and rows[0]["care_type"] == "AFFC"
    assert rows[0]["expired"] is False


def _carer_to_register(first_name: str, relationship: str) -> services.CarerInput:
    return services.CarerInput(
        relationship_code=relationship,
        new_person={
            "first_name": first_name,
            "surname": "Wanjiru",
            "sex": "SFEM" if relationship == "CGFM" else "SMAL",
            "birth_year": 1980,
        },
    )


def test_discharge_to_foster_care_ends_residence_and_links_two_carers(world):
    admission = make_admission(world.acme, world.acme_worker)
    child_id = admission.case.child_id
    father = make_child("Joseph", "Kamau", sex="SMAL", date_of_birth=None)
    with workspace_context(world.acme):
        care = services.discharge_to_care(
            actor=actor_of(world.acme, world.acme_worker),
            admission=admission.pk,
            discharged_on=TODAY(),
            discharge_type="",
            carers=[
                services.CarerInput(relationship_code="CGFF", person=father),
                _carer_to_register("Grace", "CGFM"),
            ],
            **{k: v for k, v in foster_values().items() if k != "started_on"},
        )
        admission.refresh_from_db()
        assert admission.residential_status == ResidentialStatus.FAMILY_CARE
        assert care.case_id == admission.case_id and care.admission_id == admission.pk
        assert care.started_on == TODAY()
        relationships = sorted(
            CaseCaregiver.objects.filter(case=care.case).values_list("relationship_code", flat=True)
        )
        assert relationships == ["CGFF", "CGFM"]
    assert residence_current(child_id) is None


def test_a_refused_discharge_to_care_changes_nothing(world):
    admission = make_admission(world.acme, world.acme_worker)
    child, child_id = admission.case.child, admission.case.child_id
    people_before = Person.objects.count()
    with workspace_context(world.acme):
        errors = _refused(
            lambda: services.discharge_to_care(
                actor=actor_of(world.acme, world.acme_worker),
                admission=admission.pk,
                discharged_on=TODAY(),
                carers=[
                    _carer_to_register("Grace", "CGFM"),
                    services.CarerInput(relationship_code="CGFF", person=child),
                ],
                **{k: v for k, v in foster_values().items() if k != "started_on"},
            )
        )
        assert "carers.1.person" in errors
        admission.refresh_from_db()
        assert admission.residential_status == ResidentialStatus.RESIDENT
        assert not AlternativeCare.objects.filter(case=admission.case).exists()
        assert not Admission.objects.filter(pk=admission.pk, discharged_on__isnull=False).exists()
    assert Person.objects.count() == people_before  # the first carer's registration undone
    assert residence_current(child_id) is not None


def test_the_demo_loads_once_with_two_carers_and_an_expiring_certificate(world, kenya_geography):
    with workspace_context(world.acme):
        assert family_care_load_demo(organisation=world.acme, worker=world.acme_worker) == 1
        assert family_care_load_demo(organisation=world.acme, worker=world.acme_worker) == 0
        care = AlternativeCare.objects.get()
        assert care.carers.count() == 2 and care.follow_ups.count() == 1
        assert [row["pk"] for row in certificates_expiring()] == [care.pk]
