"""The bursary chain (issue 17, point 9): applications, each step in order and once, who may
sign off, a negative step ending the chain, the award and its facts; bursary types as codes
(and the old names migrated)."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from case_apps.cases import facts
from case_apps.cases.models import BursaryAward, CaseEvent
from case_apps.cases.models_bursary import BursaryApplication, BursaryStatus, BursaryStep
from case_apps.cases.services.bursaries import bursary_award_record
from case_apps.outbox.models import OutboxEvent
from shared_registry.models import County, School
from tenants.actor import Forbidden
from tenants.schema import workspace_context
from tests.case_apps.bursary_helpers import apply, days_ago, full_chain, step
from tests.case_apps.conftest import actor_of, open_case

pytestmark = pytest.mark.django_db


def test_a_presidential_bursary_goes_from_application_to_approval(world, team):
    case = open_case(world.acme, team.worker)
    application = apply(world.acme, team.worker, case)
    assert application.status == BursaryStatus.PENDING and application.nemis_upi == "A1B2C3D4"
    decision = full_chain(world.acme, team, application)
    with workspace_context(world.acme):
        application.refresh_from_db()
        assert application.status == BursaryStatus.APPROVED
        steps = list(BursaryStep.objects.filter(application=application).order_by("id"))
        assert [s.kind for s in steps] == ["principal", "chief", "sub_county", "committee"]
        # who: the member who typed each step; the sign-off is signed by the acting member
        assert [s.recorded_by_id for s in steps] == [team.worker.pk] * 2 + [team.supervisor.pk] * 2
        assert steps[2].signatory_name == str(team.supervisor)
        assert steps[3].signatory_name == "Dr Wanjiru (chair)"
        assert all(s.recorded_at is not None for s in steps)
        award = BursaryAward.objects.get(application=application)
        assert (award.bursary_type, award.amount_kes) == ("BPRE", Decimal("30000"))
        assert award.awarded_on == decision.on == timezone.localdate()
        approved = OutboxEvent.objects.get(kind="bursary_approved")
        assert approved.occurred_at.date() == decision.on
        assert approved.payload["category"] == "BPRE"
        assert approved.source == f"case:{case.pk}:bursary_application:{application.pk}"
        assert OutboxEvent.objects.filter(kind="bursary", source__endswith=f":{award.pk}").exists()
        actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
        assert actions.count("bursary_step_recorded") == 4
        assert {"bursary_applied", "bursary_approved"} <= set(actions)


def test_a_step_out_of_order_is_refused_naming_the_missing_step(world, team):
    case = open_case(world.acme, team.worker)
    application = apply(world.acme, team.worker, case)
    with pytest.raises(ValidationError) as error:
        step(world.acme, team.worker, application, "chief")
    assert error.value.message_dict["step"] == ["The principal's recommendation is missing."]
    step(world.acme, team.worker, application, "principal")
    with pytest.raises(ValidationError) as error:
        step(world.acme, team.supervisor, application, "committee", approved_amount_kes=10)
    assert error.value.message_dict["step"] == ["The chief's recommendation is missing."]
    step(world.acme, team.worker, application, "chief")
    with pytest.raises(ValidationError) as error:
        step(world.acme, team.supervisor, application, "committee", approved_amount_kes=10)
    assert error.value.message_dict["step"] == [
        "The sub-county children officer's sign-off is missing."
    ]
    with workspace_context(world.acme):
        assert BursaryStep.objects.filter(application=application).count() == 2
        assert not BursaryAward.objects.exists()


def test_a_step_recorded_twice_is_refused(world, team):
    application = apply(world.acme, team.worker, open_case(world.acme, team.worker))
    step(world.acme, team.worker, application, "principal", signatory_name="Mrs Achieng")
    with pytest.raises(ValidationError) as error:
        step(world.acme, team.worker, application, "principal", signatory_name="Mr Other")
    assert error.value.message_dict["step"] == ["Principal's recommendation is already recorded."]
    with workspace_context(world.acme):
        assert BursaryStep.objects.get(application=application).signatory_name == "Mrs Achieng"


def test_a_negative_recommendation_ends_the_chain(world, team):
    case = open_case(world.acme, team.worker)
    application = apply(world.acme, team.worker, case)
    step(world.acme, team.worker, application, "principal")
    step(world.acme, team.worker, application, "chief", recommended=False)
    with workspace_context(world.acme):
        application.refresh_from_db()
    assert application.status == BursaryStatus.NOT_RECOMMENDED
    with pytest.raises(ValidationError) as error:
        step(world.acme, team.supervisor, application, "sub_county")
    assert "ended" in error.value.message_dict["step"][0]
    # the committee may reject too: the application ends rejected, without an award
    other = apply(world.acme, team.worker, case)
    step(world.acme, team.worker, other, "principal")
    step(world.acme, team.worker, other, "chief")
    step(world.acme, team.supervisor, other, "sub_county")
    with pytest.raises(ValidationError) as error:  # a refusal has no amount
        step(
            world.acme,
            team.supervisor,
            other,
            "committee",
            recommended=False,
            approved_amount_kes=5,
        )
    assert "approved_amount_kes" in error.value.message_dict
    step(world.acme, team.supervisor, other, "committee", recommended=False)
    with workspace_context(world.acme):
        other.refresh_from_db()
        assert other.status == BursaryStatus.REJECTED
        assert not BursaryAward.objects.exists()
        assert not OutboxEvent.objects.filter(kind__startswith="bursary").exists()


def test_only_a_member_who_may_approve_bursaries_signs_off_and_decides(world, team):
    case = open_case(world.acme, team.worker)
    application = apply(world.acme, team.worker, case)
    step(world.acme, team.worker, application, "principal")
    step(world.acme, team.worker, application, "chief")
    with pytest.raises(Forbidden):
        step(world.acme, team.worker, application, "sub_county")
    # the organisation's administrator may (as the team's supervisor may)
    step(world.acme, world.acme_admin, application, "sub_county", signatory_name="Typed name")
    with pytest.raises(Forbidden):
        step(world.acme, team.worker, application, "committee", approved_amount_kes=100)
    with pytest.raises(Forbidden):  # a viewer records nothing, not even a recommendation
        step(world.acme, team.viewer, apply(world.acme, team.worker, case), "principal")
    with workspace_context(world.acme):
        sign_off = BursaryStep.objects.get(application=application, kind="sub_county")
        assert sign_off.signatory_name == str(world.acme_admin)  # never the typed name


def test_step_dates_and_the_approved_amount_are_checked(world, team):
    application = apply(world.acme, team.worker, open_case(world.acme, team.worker))
    with pytest.raises(ValidationError) as error:
        step(world.acme, team.worker, application, "principal", on=days_ago(5), signatory_name="")
    assert set(error.value.message_dict) == {"on", "signatory_name"}  # before the application
    with pytest.raises(ValidationError) as error:
        step(world.acme, team.worker, application, "principal", on=days_ago(-1))
    assert "on" in error.value.message_dict
    step(world.acme, team.worker, application, "principal", on=days_ago(1))
    step(world.acme, team.worker, application, "chief", on=days_ago(1))
    step(world.acme, team.supervisor, application, "sub_county", on=days_ago(0))
    with pytest.raises(ValidationError) as error:
        step(world.acme, team.supervisor, application, "committee", on=days_ago(0))
    assert "approved_amount_kes" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        step(
            world.acme,
            team.supervisor,
            application,
            "committee",
            on=days_ago(1),
            approved_amount_kes=9,
        )
    assert "on" in error.value.message_dict  # before the sign-off


def test_an_application_is_checked_and_nothing_is_saved_when_it_is_wrong(world, team):
    case = open_case(world.acme, team.worker)
    with pytest.raises(ValidationError) as error:
        apply(
            world.acme,
            team.worker,
            case,
            bursary_type="Presidential",
            school_name=" ",
            nemis_upi="x!",
            class_level="",
            annual_fees_kes=Decimal("-1"),
            fee_balance_kes=Decimal("-5"),
            parents_status="orphan",
            applied_on=days_ago(-1),
            year=1999,
        )
    assert set(error.value.message_dict) == {
        "bursary_type",
        "school_name",
        "nemis_upi",
        "class_level",
        "annual_fees_kes",
        "fee_balance_kes",
        "parents_status",
        "applied_on",
        "year",
    }
    with pytest.raises(ValidationError) as error:
        apply(world.acme, team.worker, case, fee_balance_kes=Decimal("60000"))
    assert error.value.message_dict == {
        "fee_balance_kes": ["The balance cannot be more than the annual fees."]
    }
    with pytest.raises(ValidationError) as error:  # before the case was reported
        apply(world.acme, team.worker, case, applied_on=days_ago(30))
    assert "applied_on" in error.value.message_dict
    with workspace_context(world.acme):
        assert not BursaryApplication.objects.exists()


def test_the_school_comes_from_the_national_registry_when_it_is_there(world, team, kenya_geography):
    School.objects.create(
        code="KSM0042",
        name="Kisumu Day Secondary",
        level="secondary",
        is_public=True,
        county=County.objects.get(code="042"),
    )
    case = open_case(world.acme, team.worker)
    application = apply(world.acme, team.worker, case, school_code="ksm0042", school_name="")
    assert (application.school_code, application.school_name) == (
        "KSM0042",
        "Kisumu Day Secondary",
    )
    with pytest.raises(ValidationError) as error:
        apply(world.acme, team.worker, case, school_code="NOPE99")
    assert "school_code" in error.value.message_dict
    typed = apply(world.acme, team.worker, case, school_name="  Mama  Ngina  Girls ")
    assert (typed.school_code, typed.school_name) == ("", "Mama Ngina Girls")


def test_other_bursary_types_have_a_one_step_chain(world, team):
    case = open_case(world.acme, team.worker)
    application = apply(world.acme, team.worker, case, bursary_type="BCDF")
    with pytest.raises(ValidationError) as error:
        step(world.acme, team.worker, application, "principal")
    assert "not part" in error.value.message_dict["step"][0]
    step(world.acme, team.supervisor, application, "committee", approved_amount_kes=Decimal("8000"))
    with workspace_context(world.acme):
        award = BursaryAward.objects.get(application=application)
        assert (award.bursary_type, award.amount_kes) == ("BCDF", Decimal("8000"))
        assert OutboxEvent.objects.get(kind="bursary_approved").payload["category"] == "BCDF"


def test_an_award_recorded_directly_is_a_coded_type_but_never_presidential(world, team):
    case = open_case(world.acme, team.worker)
    arguments = {"case": case, "amount_kes": 5000, "year": 2026, "awarded_on": days_ago(1)}
    with workspace_context(world.acme):
        actor = actor_of(world.acme, team.worker)
        for wrong in ("CDF", "BPRE"):
            with pytest.raises(ValidationError) as error:
                bursary_award_record(actor=actor, bursary_type=wrong, **arguments)
            assert "bursary_type" in error.value.message_dict, wrong
        award = bursary_award_record(actor=actor, bursary_type="BCOU", **arguments)
        assert OutboxEvent.objects.get(kind="bursary").payload["category"] == "BCOU"
        assert award.application is None


def test_a_restatement_writes_the_approval_again_and_no_more(world, team):
    case = open_case(world.acme, team.worker)
    full_chain(world.acme, team, apply(world.acme, team.worker, case))
    with workspace_context(world.acme):
        before = OutboxEvent.objects.filter(kind="bursary_approved").count()
        facts.case_facts_restate(case=case, organisation=world.acme)
        restated = OutboxEvent.objects.filter(kind="bursary_approved").order_by("id")
        assert restated.count() == before + 1
        assert restated.last().occurred_at == restated.first().occurred_at


def test_old_bursary_names_are_migrated_to_codes_and_their_facts_restated(world, team):
    migration = importlib.import_module("case_apps.cases.migrations.0007_bursary_type_codes")
    case = open_case(world.acme, team.worker)
    names = ["Presidential", "CDF", "USG", "Bank", "Charity", "County", "Lottery"]
    with workspace_context(world.acme):
        awards = [
            BursaryAward.objects.create(
                case=case, bursary_type=name, amount_kes=1000, year=2024, awarded_on=days_ago(9)
            )
            for name in names
        ]
        for award in awards[:2]:  # facts written before the change, under the old names
            facts.bursary_fact(case, world.acme, award)
        migration.to_codes(django_apps, None)
        codes = [BursaryAward.objects.get(pk=a.pk).bursary_type for a in awards]
        assert codes == ["BPRE", "BCDF", "BUSG", "BBNK", "BCHA", "BCOU", "Lottery"]  # none lost
        latest = OutboxEvent.objects.filter(source=f"case:{case.pk}:bursary:{awards[0].pk}")
        assert [e.payload["category"] for e in latest.order_by("id")] == ["Presidential", "BPRE"]
        assert OutboxEvent.objects.filter(kind="bursary").count() == 4  # two facts, restated
        migration.to_names(django_apps, None)  # and back
        assert [BursaryAward.objects.get(pk=a.pk).bursary_type for a in awards] == names


def test_a_data_subject_request_finds_the_childs_bursary_applications(world, team):
    from case_apps.cases.subject_access import case_records_of_person

    case = open_case(world.acme, team.worker)
    application = apply(world.acme, team.worker, case)
    with workspace_context(world.acme):
        rows = case_records_of_person(case.child_id)
    held = rows[0]["bursary_applications"]
    assert [(a["id"], a["nemis_upi"]) for a in held] == [(application.pk, "A1B2C3D4")]
