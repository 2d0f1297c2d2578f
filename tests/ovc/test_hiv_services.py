"""HIV care services (issue 18 point 4): referral facilities from the registry, the ART
referral's completion, caregivers' HIV status history, and the HEI path with its facts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from case_apps.outbox.models import OutboxEvent
from case_apps.ovc import services, services_care, services_hei
from case_apps.ovc.models import HivScreening, HouseholdMember, ReferralState
from case_apps.ovc.models_hiv import CaregiverHivStatus, HeiFinalOutcome, HeiTestVisit
from tenants.actor import NotFound
from tenants.schema import workspace_context
from tests.ovc.conftest import as_member
from tests.ovc.hiv_helpers import (
    JOOTRH,
    KONDELE,
    days_ago,
    facilities,  # noqa: F401 (fixture)
    make_infant,
    screen_and_test,
)

pytestmark = pytest.mark.django_db


def facts(world, enrolment, kind="ovc_hiv_status"):
    return OutboxEvent.objects.filter(
        payload__case_ref=services._ref(world.beta, enrolment), kind=kind
    ).order_by("id")


def worker(world):
    return as_member(world.beta_worker, world.beta)


@pytest.mark.usefixtures("facilities")
def test_screening_refers_to_a_registry_facility_and_refuses_free_text(world, beta_household):
    enrolment = beta_household.enrolment
    base = dict(
        enrolment=enrolment,
        screened_on=days_ago(2),
        status_known="HSKN",
        tested_last_6_months=False,
        risks=["sexual_abuse"],
        referred_on=days_ago(1),
    )
    with workspace_context(world.beta):
        with pytest.raises(ValidationError) as excinfo:
            services.hiv_screening_record(actor=worker(world), test_facility="Kondele HC", **base)
        assert "test_facility" in excinfo.value.message_dict
        assert not HivScreening.objects.filter(enrolment=enrolment).exists()
        screening = services.hiv_screening_record(
            actor=worker(world), test_facility=KONDELE, **base
        )
        assert screening.test_facility == KONDELE
        assert screening.referral_state == ReferralState.REFERRED


@pytest.mark.usefixtures("facilities")
def test_a_positive_result_linked_to_art_writes_the_on_art_fact(world, beta_household):
    enrolment = beta_household.enrolment
    with workspace_context(world.beta):
        with pytest.raises(ValidationError) as excinfo:
            screen_and_test(world, enrolment, art_referred_on=days_ago(9), art_facility="Nowhere")
        assert "art_facility" in excinfo.value.message_dict
        screening = screen_and_test(
            world, enrolment, art_referred_on=days_ago(9), art_facility=JOOTRH
        )
        assert [f.payload["category"] for f in facts(world, enrolment)][-1] == "positive_no_art"
        for wrong, field in (
            ({"art_referral_completed_on": days_ago(-1)}, "art_referral_completed_on"),
            ({"art_referral_completed_on": days_ago(12)}, "art_referral_completed_on"),
            ({"art_referral_completed_on": days_ago(3), "art_facility": "X1"}, "art_facility"),
        ):
            with pytest.raises(ValidationError) as excinfo:
                services_care.hiv_art_referral_complete(
                    actor=worker(world), screening=screening, **wrong
                )
            assert field in excinfo.value.message_dict
        services_care.hiv_art_referral_complete(
            actor=worker(world), screening=screening, art_referral_completed_on=days_ago(3)
        )
        enrolment.refresh_from_db()
        assert enrolment.art_status == "ARAR"
        latest = facts(world, enrolment).last()
        assert latest.payload["category"] == "positive_on_art"
        assert latest.source.endswith(f":art:{screening.pk}")
        with pytest.raises(ValidationError):  # once only
            services_care.hiv_art_referral_complete(
                actor=worker(world), screening=screening, art_referral_completed_on=days_ago(2)
            )


@pytest.mark.usefixtures("facilities")
def test_a_negative_result_is_not_referred_for_art(world, beta_household):
    with workspace_context(world.beta), pytest.raises(ValidationError) as excinfo:
        screen_and_test(
            world,
            beta_household.enrolment,
            result="HSTN",
            art_referred_on=days_ago(5),
            art_facility=JOOTRH,
        )
    assert "art_referred_on" in excinfo.value.message_dict


def test_caregiver_status_is_a_dated_history_and_the_latest_is_the_members(world, beta_household):
    household = beta_household.household
    with workspace_context(world.beta):
        head = household.members.get(is_head=True)
        first = services_care.caregiver_hiv_status_record(
            actor=worker(world),
            household=household,
            member=head,
            hiv_status="HSTN",
            known_on=days_ago(400),
        )
        services_care.caregiver_hiv_status_record(
            actor=worker(world),
            household=household,
            member=head.pk,
            hiv_status="HSTP",
            art_status="ARAR",
            known_on=days_ago(30),
        )
        # an older record entered later does not overturn the latest status
        services_care.caregiver_hiv_status_record(
            actor=worker(world),
            household=household,
            member=head,
            hiv_status="HSKN",
            known_on=days_ago(800),
        )
        head.refresh_from_db()
        assert head.hiv_status == "HSTP"
        assert list(head.hiv_history.values_list("hiv_status", flat=True)) == [
            "HSTP",
            "HSTN",
            "HSKN",
        ]
        assert first.known_on == days_ago(400)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"hiv_status": "HSTN", "art_status": "ARAR"}, "art_status"),
        ({"hiv_status": "NOPE"}, "hiv_status"),
        ({"hiv_status": "HHEI"}, "hiv_status"),
        ({"known_on": days_ago(-3)}, "known_on"),
        ({"known_on": days_ago(365 * 60)}, "known_on"),  # before the caregiver's birth
        ({"member": "child"}, "member"),
        ({"member": 999999}, "member"),
    ],
)
def test_caregiver_status_rules(world, beta_household, fields, field):
    household = beta_household.household
    with workspace_context(world.beta):
        head = household.members.get(is_head=True)
        child = household.members.get(person=beta_household.enrolment.child_id)
        arguments = {"member": head, "hiv_status": "HSTP", "known_on": days_ago(3), **fields}
        if arguments["member"] == "child":
            arguments["member"] = child
        with pytest.raises(ValidationError) as excinfo:
            services_care.caregiver_hiv_status_record(
                actor=worker(world), household=household, **arguments
            )
        assert field in excinfo.value.message_dict
        assert not CaregiverHivStatus.objects.exists()


def test_a_positive_caregiver_is_not_edited_back(world, beta_household):
    household = beta_household.household
    with workspace_context(world.beta):
        head = household.members.get(is_head=True)
        HouseholdMember.objects.filter(pk=head.pk).update(hiv_status="HSTP")
        with pytest.raises(ValidationError) as excinfo:
            services_care.caregiver_hiv_status_record(
                actor=worker(world),
                household=household,
                member=head,
                hiv_status="HSTN",
                known_on=days_ago(1),
            )
        assert "hiv_status" in excinfo.value.message_dict


def test_an_hei_is_not_risk_screened(world, beta_household):
    infant = make_infant(world, beta_household.household)
    with workspace_context(world.beta), pytest.raises(ValidationError) as excinfo:
        services.hiv_screening_record(
            actor=worker(world),
            enrolment=infant,
            screened_on=days_ago(1),
            status_known="HHEI",
            tested_last_6_months=False,
            risks=["parent_hiv"],
        )
    assert "HEI" in str(excinfo.value.message_dict["__all__"])


def test_hei_tests_once_each_on_the_schedule(world, beta_household):
    infant = make_infant(world, beta_household.household)
    with workspace_context(world.beta):
        visit = services_hei.hei_test_record(
            actor=worker(world),
            enrolment=infant,
            test="pcr_6w",
            tested_on=days_ago(5),
            result="HSTN",
        )
        assert visit.result == "HSTN"
        for wrong, field in (
            ({"test": "pcr_6w"}, "test"),  # already recorded
            ({"test": "pcr_9m"}, "test"),
            ({"result": "HSKN"}, "result"),
            ({"tested_on": days_ago(-1)}, "tested_on"),
            ({"tested_on": days_ago(300)}, "tested_on"),  # before birth (and too far back)
        ):
            arguments = {"test": "pcr_6m", "tested_on": days_ago(2), "result": "HSTN", **wrong}
            with pytest.raises(ValidationError) as excinfo:
                services_hei.hei_test_record(actor=worker(world), enrolment=infant, **arguments)
            assert field in excinfo.value.message_dict
        assert HeiTestVisit.objects.filter(enrolment=infant).count() == 1
        # a child who is not an HEI has no HEI tests
        with pytest.raises(ValidationError) as excinfo:
            services_hei.hei_test_record(
                actor=worker(world),
                enrolment=beta_household.enrolment,
                test="pcr_6w",
                tested_on=days_ago(1),
                result="HSTN",
            )
        assert "__all__" in excinfo.value.message_dict


@pytest.mark.usefixtures("facilities")
def test_hei_positive_outcome_is_linked_to_art_and_writes_the_status_fact(world, beta_household):
    infant = make_infant(world, beta_household.household)
    with workspace_context(world.beta):
        with pytest.raises(ValidationError) as excinfo:  # no positive test yet
            services_hei.hei_outcome_record(
                actor=worker(world), enrolment=infant, outcome="HSTP", decided_on=days_ago(1)
            )
        assert {"outcome", "art_facility", "art_started_on"} <= set(excinfo.value.message_dict)
        services_hei.hei_test_record(
            actor=worker(world),
            enrolment=infant,
            test="pcr_6m",
            tested_on=days_ago(4),
            result="HSTP",
        )
        services_hei.hei_outcome_record(
            actor=worker(world),
            enrolment=infant,
            outcome="HSTP",
            decided_on=days_ago(2),
            art_facility=JOOTRH,
            art_started_on=days_ago(2),
        )
        infant.refresh_from_db()
        assert (infant.hiv_status, infant.art_status, infant.facility) == ("HSTP", "ARAR", JOOTRH)
        member = HouseholdMember.objects.get(person=infant.child_id)
        assert member.hiv_status == "HSTP"
        latest = facts(world, infant).last()
        assert latest.payload["category"] == "positive_on_art"
        assert latest.source.endswith(":hei:outcome")
        assert latest.occurred_at.date() == days_ago(2)  # dated by the outcome
        # the path is over: no second outcome
        with pytest.raises(ValidationError):
            services_hei.hei_outcome_record(
                actor=worker(world), enrolment=infant, outcome="ltfu", decided_on=days_ago(1)
            )


def test_hei_negative_needs_the_18_month_antibody_test(world, beta_household):
    infant = make_infant(world, beta_household.household, born_days_ago=560)
    with workspace_context(world.beta):
        with pytest.raises(ValidationError) as excinfo:
            services_hei.hei_outcome_record(
                actor=worker(world), enrolment=infant, outcome="HSTN", decided_on=days_ago(1)
            )
        assert "outcome" in excinfo.value.message_dict
        services_hei.hei_test_record(
            actor=worker(world),
            enrolment=infant,
            test="ab_18m",
            tested_on=days_ago(3),
            result="HSTN",
        )
        services_hei.hei_outcome_record(
            actor=worker(world), enrolment=infant, outcome="HSTN", decided_on=days_ago(1)
        )
        infant.refresh_from_db()
        assert infant.hiv_status == "HSTN"
        assert facts(world, infant).last().payload["category"] == "negative"
        # after the outcome the child follows the ordinary risk screening
        screening = services.hiv_screening_record(
            actor=worker(world),
            enrolment=infant,
            screened_on=days_ago(0),
            status_known="HSTN",
            tested_last_6_months=True,
            risks=["parent_hiv"],
        )
        assert screening.test_required is False


def test_hei_lost_to_follow_up_keeps_the_status_and_writes_no_fact(world, beta_household):
    infant = make_infant(world, beta_household.household)
    with workspace_context(world.beta):
        before = facts(world, infant).count()
        services_hei.hei_outcome_record(
            actor=worker(world), enrolment=infant, outcome="ltfu", decided_on=days_ago(1)
        )
        infant.refresh_from_db()
        assert infant.hiv_status == "HHEI"
        assert facts(world, infant).count() == before
        assert HeiFinalOutcome.objects.get(enrolment=infant).outcome == "ltfu"


def test_another_partner_cannot_write_beta_hiv_records(world, beta_household):
    """Acme's services run in acme's workspace (the door puts every request there): beta's
    household is not found from it, and beta's records stay as they were. (The door itself is
    swept by tests/ovc/test_hiv_screens.py and tests/test_isolation.py.)"""
    from tenants.models import Organisation

    Organisation.objects.filter(pk=world.acme.pk).update(kind="ip")
    acme = Organisation.objects.get(pk=world.acme.pk)  # a copy: the session's world stays
    outsider = as_member(world.acme_admin, acme)
    with workspace_context(acme), pytest.raises(NotFound):
        services_care.caregiver_hiv_status_record(
            actor=outsider,
            household=beta_household.household.pk,
            member=1,
            hiv_status="HSTN",
            known_on=days_ago(1),
        )
    with workspace_context(world.beta):
        assert not CaregiverHivStatus.objects.exists()


def test_the_demo_records_caregivers_and_the_infants_past_hei_tests(world, beta_household):
    from case_apps.ovc.demo_hiv import hiv_load_demo

    infant = make_infant(world, beta_household.household, born_days_ago=200)
    with workspace_context(world.beta):
        HeiTestVisit.objects.all().delete()
        written = hiv_load_demo(organisation=world.beta, worker=world.beta_worker)
        head = beta_household.household.members.get(is_head=True)
        assert head.hiv_history.get().hiv_status == "HSTP"  # the household has an HEI
        # born 200 days ago: the 6-week and 6-month PCR are past, each entered on its day
        tests = list(HeiTestVisit.objects.filter(enrolment=infant).values_list("test", flat=True))
        assert tests == ["pcr_6w", "pcr_6m"]
        assert written == 3
        assert hiv_load_demo(organisation=world.beta, worker=world.beta_worker) == 0
