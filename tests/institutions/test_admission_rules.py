"""The admission service's rules (issue 19 point 2): admission number unique in the institution
(a message, not an IntegrityError), committal order or OB number, expected exit derived from
the committal period, the back-dating rule, the admission type fitting the source, a court
committal read as reported by the court, and the admission on the case's timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from case_apps.cases.models import HowReported
from case_apps.cases.presenters import present_timeline
from case_apps.cases.services import CategoryInput
from case_apps.institutions.models import Admission, AdmissionSource, ResidentialStatus
from case_apps.institutions.services_admissions import (
    admission_open,
    admission_record,
    resident_discharge,
)
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, make_child, open_case

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _open(world, child=None, **overrides):
    fields = {
        "admitted_on": TODAY() - timedelta(days=5),
        "admission_type": "TANA",
        "admission_reason": "RACP",
        "source": AdmissionSource.DIRECT,
        "categories": [CategoryInput(category_code="CDIS", sub_category_codes=[])],
    }
    fields.update(overrides)
    with workspace_context(world.acme):
        return admission_open(
            actor=actor_of(world.acme, world.acme_worker), child=child or make_child(), **fields
        )


def _refused(world, **overrides) -> dict:
    with pytest.raises(ValidationError) as refused:
        _open(world, **overrides)
    with workspace_context(world.acme):
        assert not Admission.objects.filter(notes="refused").exists()
    return refused.value.message_dict


def test_a_court_committal_reads_as_reported_by_the_court_with_its_exit_derived(world):
    admitted = TODAY() - timedelta(days=40)
    admission = _open(
        world,
        admitted_on=admitted,
        source=AdmissionSource.COURT,
        committal_order_number="CCO 12/2026",
        committal_court="Kisumu Children's Court",
        committal_on=admitted - timedelta(days=1),
        committal_period=6,
        committal_period_unit="months",
        holding_period_days=14,
        is_emergency=True,
    )
    case = admission.case
    assert (case.how_reported, case.reporter_type) == (HowReported.COURT, "CRCO")
    assert (case.court_name, case.court_file_number) == ("Kisumu Children's Court", "CCO 12/2026")
    assert case.date_reported == admitted
    month = admitted.month + 6
    assert (admission.expected_exit_on.year * 12 + admission.expected_exit_on.month) == (
        admitted.year * 12 + month
    )
    assert admission.is_emergency and admission.holding_period_days == 14


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"admitted_on": TODAY() + timedelta(days=1)}, "admitted_on"),
        ({"admission_type": "XXXX"}, "admission_type"),
        ({"admission_reason": ""}, "admission_reason"),
        ({"source": AdmissionSource.COURT}, "committal_order_number"),  # a committal names it
        ({"committal_period": 6}, "committal_period_unit"),
        ({"committal_period_unit": "months"}, "committal_period"),
        (  # the period gives the exit: both is a contradiction
            {"committal_period": 6, "committal_period_unit": "months"}
            | {"expected_exit_on": TODAY() + timedelta(days=100)},
            "expected_exit_on",
        ),
        ({"expected_exit_on": TODAY() - timedelta(days=30)}, "expected_exit_on"),
        ({"committal_on": TODAY() + timedelta(days=2)}, "committal_on"),
        ({"source": AdmissionSource.TRANSFER}, "admission_type"),  # a transfer in is TRIN
        ({"admission_type": "TARE"}, "admission_type"),  # after escape: a return
        ({"source": AdmissionSource.REFERRAL}, "referral_id"),  # which referral?
        ({"source": AdmissionSource.RETURN, "admission_type": "TARE"}, "previous_admission"),
        ({"source": "walked-in"}, "source"),
    ],
)
def test_bad_admissions_are_refused_naming_the_field_and_nothing_is_saved(world, overrides, field):
    overrides.setdefault("notes", "refused")
    assert field in _refused(world, **overrides)


def test_an_admission_cannot_be_before_the_case_was_reported(world):
    case = open_case(world.acme, world.acme_worker)
    with workspace_context(world.acme), pytest.raises(ValidationError) as refused:
        admission_record(
            actor=actor_of(world.acme, world.acme_worker),
            case=case,
            admitted_on=case.date_reported - timedelta(days=1),
            admission_type="TANA",
            admission_reason="RACP",
            source=AdmissionSource.DIRECT,
        )
    assert "reported" in refused.value.message_dict["admitted_on"][0]


def test_the_admission_number_is_unique_in_the_institution_with_a_message(
    world, institutions_world
):
    first = _open(world, admission_number="ACM/001")
    problems = _refused(world, admission_number="ACM/001")
    assert "ACM/001" in problems["admission_number"][0]
    # another institution has its own numbers
    with workspace_context(institutions_world.rescue):
        other = admission_open(
            actor=actor_of(institutions_world.rescue, institutions_world.rescue_worker),
            child=make_child("Juma", "Elsewhere"),
            admitted_on=TODAY(),
            admission_type="TANA",
            admission_reason="RACP",
            source=AdmissionSource.DIRECT,
            categories=[CategoryInput(category_code="CDIS", sub_category_codes=[])],
            admission_number="ACM/001",
        )
    assert other.admission_number == first.admission_number


def test_a_return_after_escape_is_tare_and_follows_the_escape(world):
    child = make_child("Kamau", "Runner")
    first = _open(world, child, admitted_on=TODAY() - timedelta(days=20))
    actor = actor_of(world.acme, world.acme_worker)
    with workspace_context(world.acme):
        resident_discharge(
            actor=actor,
            admission=first,
            discharged_on=TODAY() - timedelta(days=3),
            status=ResidentialStatus.ESCAPED,
        )
        back = admission_record(
            actor=actor,
            case=first.case,
            admitted_on=TODAY() - timedelta(days=1),
            admission_type="TARE",
            admission_reason="RACP",
            source=AdmissionSource.RETURN,
            previous_admission=first.pk,
        )
        assert back.previous_admission == first and back.is_resident
        with pytest.raises(ValidationError) as refused:
            admission_record(
                actor=actor,
                case=open_case(world.acme, world.acme_worker),
                admitted_on=TODAY(),
                admission_type="TARE",
                admission_reason="RACP",
                source=AdmissionSource.RETURN,
                previous_admission=first.pk,  # another child's admission
            )
    assert "previous_admission" in refused.value.message_dict


def test_admission_and_discharge_read_on_the_case_timeline(world):
    admission = _open(
        world, admission_number="ACM/T1", ob_number="OB 5/1/2026", admission_reason="RAOF"
    )
    with workspace_context(world.acme):
        resident_discharge(
            actor=actor_of(world.acme, world.acme_worker),
            admission=admission,
            discharged_on=TODAY(),
            discharge_type="DTRI",
            notes="Back with the grandmother",
        )
        items = {item.kind: item for item in present_timeline(admission.case)}
    assert "New admission" in items["admitted"].title
    assert "Offender" in items["admitted"].lines[0]
    assert any("ACM/T1" in line for line in items["admitted"].lines)
    assert "Reintegrated" in items["resident_discharged"].title
    assert items["resident_discharged"].lines == [
        "Reintegration with the family",
        "Back with the grandmother",
    ]
