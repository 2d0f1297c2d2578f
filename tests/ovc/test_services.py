"""OVC services: households, enrolment rules, services and their outbox facts, CPARA,
case plan, HIV screening and referral, HIV management, exit and graduation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from case_apps.cases.models import Supervision
from case_apps.lists.selectors import clear_list_cache
from case_apps.lists.services import list_item_save
from case_apps.outbox.models import OutboxEvent
from case_apps.ovc import services
from case_apps.ovc.models import EnrolmentStatus, HouseholdMember, ReferralState
from shared_registry.models import PersonLink
from tenants.actor import Actor
from tenants.models import Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.case_apps.conftest import make_child
from tests.factories import UserFactory
from tests.ovc.conftest import ALL_MET, as_member, enrol, make_caregiver

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def facts_of(world, enrolment):
    """This enrolment's outbox events (other tests' committed events may share the outbox)."""
    return OutboxEvent.objects.filter(payload__case_ref=services._ref(world.beta, enrolment))


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_household_with_head_and_members_linked_to_the_registry(world, beta_household):
    household = beta_household.household
    with workspace_context(world.beta):
        sibling = make_child("Zawadi", "Wanjiku", date_of_birth=date(2016, 1, 1))
        services.household_member_add(
            actor=as_member(world.beta_worker, world.beta),
            household=household,
            member=services.MemberInput(person=sibling, member_type="TBVC", hiv_status="HSTN"),
        )
        members = list(household.members.all())
        assert household.number.startswith("HH/BETA/")
        assert members[0].is_head and members[0].person_id == household.head_id
        assert {m.member_type for m in members} == {"CGPM", "TOVC", "TBVC"}
        with pytest.raises(ValidationError) as excinfo:
            services.household_member_add(
                actor=as_member(world.beta_worker, world.beta),
                household=household,
                member=services.MemberInput(person=sibling, member_type="TBVC"),
            )
        assert "person" in errors_of(excinfo)
    assert PersonLink.objects.filter(person=sibling, organisation=world.beta).exists()
    assert PersonLink.objects.filter(person=household.head_id, organisation=world.beta).exists()


def test_member_codes_and_death_cause_are_checked(world, beta_household):
    with workspace_context(world.beta), pytest.raises(ValidationError) as excinfo:
        services.household_member_add(
            actor=as_member(world.beta_worker, world.beta),
            household=beta_household.household,
            member=services.MemberInput(
                person=make_child("X", "Y"),
                member_type="NOPE",
                hiv_status="ZZZ",
                alive=True,
                death_cause="DCHR",
            ),
        )
    assert set(errors_of(excinfo)) == {"member_type", "hiv_status", "death_cause"}


def test_codes_are_looked_up_in_the_national_lists(world, beta_household):
    """A code the lists screen adds is accepted at once; one it never had is refused."""
    plan = {
        "household": beta_household.household,
        "domain": "stable",
        "goal": "GH5ST",
        "gap": "GN51ST",
        "services": ["CP55ST"],
        "due_date": TODAY() + timedelta(days=30),
    }
    try:
        list_item_save(
            actor=Actor(user=world.hq_admin),
            list_name="ovc_responsible",
            code="CBO",
            label="Community group",
        )
        with workspace_context(world.beta):
            with pytest.raises(ValidationError) as excinfo:
                services.case_plan_item_add(
                    actor=as_member(world.beta_worker, world.beta), responsible="nobody", **plan
                )
            assert errors_of(excinfo) == {"responsible": ["Unknown code “nobody”."]}
            assert (
                services.case_plan_item_add(
                    actor=as_member(world.beta_worker, world.beta), responsible="CBO", **plan
                ).responsible
                == "CBO"
            )
    finally:
        clear_list_cache()


def test_refusals_speak_the_users_language(world, beta_household):
    with (
        translation.override("sw"),
        workspace_context(world.beta),
        pytest.raises(ValidationError) as excinfo,
    ):
        services.household_register(
            actor=as_member(world.beta_worker, world.beta),
            head=beta_household.household.head,
            head_relation="TOVC",
        )
    assert errors_of(excinfo) == {
        "head_member_type": ["Mkuu wa kaya ni mlezi wake, si mtoto."],
        "head": ["Mlezi huyu tayari ni mkuu wa kaya."],
    }


def test_one_household_per_caregiver(world, beta_household):
    with workspace_context(world.beta), pytest.raises(ValidationError) as excinfo:
        services.household_register(
            actor=as_member(world.beta_worker, world.beta),
            head=beta_household.household.head,
        )
    assert "head" in errors_of(excinfo)


def test_enrolment_writes_facts_with_the_programme(world, beta_household):
    with workspace_context(world.beta):
        events = list(facts_of(world, beta_household.enrolment).order_by("id"))
    kinds = [e.kind for e in events]
    assert kinds == ["ovc_enrolled", "ovc_hiv_status", "ovc_school_status"]
    payload = events[0].payload
    assert payload["programme"] == "POVC" and payload["sex"] == "SMAL"
    assert payload["age_band"] == "10-14" and payload["county"] == "047"
    assert events[1].payload["category"] == "negative"
    assert events[2].payload["category"] == "SLPR"
    assert "Baraka" not in str(payload)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"registration_date": date.today() + timedelta(days=2)}, "registration_date"),
        ({"registration_date": date(2013, 1, 1)}, "registration_date"),  # before birth
        ({"eligibility": []}, "eligibility"),
        ({"eligibility": ["EC??"]}, "eligibility"),
        ({"hiv_status": "HSTP"}, "art_status"),
        ({"hiv_status": "HSTP", "art_status": "ARAR"}, "facility"),
        ({"school_level": ""}, "school_level"),
        ({"programme": "PXXX"}, "programme"),
    ],
)
def test_enrolment_rules(world, beta_household, overrides, field):
    with workspace_context(world.beta):
        before = OutboxEvent.objects.count()
        with pytest.raises(ValidationError) as excinfo:
            enrol(
                world.beta,
                world.beta_worker,
                beta_household.household,
                child=make_child("Imani", "Wanjiku", date_of_birth=date(2014, 3, 9)),
                **overrides,
            )
        assert field in errors_of(excinfo)
        assert OutboxEvent.objects.count() == before  # nothing saved


def test_a_child_is_enrolled_once(world, beta_household):
    child = beta_household.enrolment.child
    with workspace_context(world.beta), pytest.raises(ValidationError) as excinfo:
        enrol(world.beta, world.beta_worker, beta_household.household, child=child)
    assert "child" in errors_of(excinfo)


def test_services_per_domain_write_ovc_service_facts(world, beta_household):
    enrolment = beta_household.enrolment
    with workspace_context(world.beta):
        for domain in ("healthy", "stable", "safe", "schooled"):
            services.service_record(
                actor=as_member(world.beta_worker, world.beta),
                enrolment=enrolment,
                domain=domain,
                service={"healthy": "CP42HE", "stable": "CP52ST", "safe": "CP62SA"}.get(
                    domain, "CP96SC"
                ),
                provider="CHV",
                date=TODAY(),
            )
        facts = facts_of(world, enrolment).filter(kind="ovc_service")
        assert sorted(f.payload["category"] for f in facts) == [
            "healthy",
            "safe",
            "schooled",
            "stable",
        ]
        assert {f.payload["programme"] for f in facts} == {"POVC"}
        assert {timezone.localtime(f.occurred_at).date() for f in facts} == {TODAY()}
        enrolled = facts_of(world, enrolment).get(kind="ovc_enrolled")
        assert timezone.localtime(enrolled.occurred_at).date() == enrolment.registration_date
        assert facts_of(world, enrolment).count() == 3 + 4  # enrolment, HIV, school, services
        with pytest.raises(ValidationError) as excinfo:
            services.service_record(
                actor=as_member(world.beta_worker, world.beta),
                enrolment=enrolment,
                domain="fun",
                service="",
                provider="",
                date=TODAY() + timedelta(days=1),
            )
        assert set(errors_of(excinfo)) == {"domain", "service", "provider", "date"}


def test_cpara_is_scored_and_kept(world, beta_household):
    with workspace_context(world.beta):
        cpara = services.cpara_record(
            actor=as_member(world.beta_worker, world.beta),
            household=beta_household.household,
            assessed_on=TODAY(),
            answers={**ALL_MET, 1: "no", 9: "no", 7: "na"},
        )
    assert (cpara.healthy, cpara.stable, cpara.safe, cpara.schooled) == (3, 1, 3, 0)
    assert cpara.total == 7 and cpara.pathway == "medium" and not cpara.all_met
    with workspace_context(world.beta), pytest.raises(ValidationError) as excinfo:
        services.cpara_record(
            actor=as_member(world.beta_worker, world.beta),
            household=beta_household.household,
            assessed_on=TODAY(),
            answers={1: "yes"},
        )
    assert "benchmark_2" in errors_of(excinfo)


def test_case_plan_per_domain_to_completion(world, beta_household):
    with workspace_context(world.beta):
        item = services.case_plan_item_add(
            actor=as_member(world.beta_worker, world.beta),
            household=beta_household.household,
            domain="schooled",
            goal="GH9SC",
            gap="GN92SC",
            services=["CP94SC", "CP97SC"],
            responsible="ngo",
            due_date=TODAY() + timedelta(days=60),
            enrolment=beta_household.enrolment,
        )
        with pytest.raises(ValidationError) as excinfo:
            services.case_plan_item_complete(
                actor=as_member(world.beta_worker, world.beta),
                item=item,
                completed_on=TODAY(),
                achieved=False,
            )
        assert "result_notes" in errors_of(excinfo)
        services.case_plan_item_complete(
            actor=as_member(world.beta_worker, world.beta),
            item=item,
            completed_on=TODAY(),
            achieved=True,
        )
        item.refresh_from_db()
    assert item.achieved is True and item.completed_on == TODAY()
    with workspace_context(world.beta), pytest.raises(ValidationError) as excinfo:
        services.case_plan_item_add(
            actor=as_member(world.beta_worker, world.beta),
            household=beta_household.household,
            domain="x",
            gap="",
            goal="",
            services=[],
            responsible="me",
            due_date=None,
        )
    assert set(errors_of(excinfo)) == {"domain", "gap", "goal", "services", "responsible"}


@pytest.mark.parametrize(
    ("status", "tested", "risks", "required"),
    [
        ("HSKN", False, [], False),
        ("HSKN", False, ["sexual_abuse"], True),
        ("HSTN", False, ["persistently_sick"], True),
        ("HSTN", True, ["persistently_sick"], False),
        ("HSTP", False, ["sti_symptoms"], False),
        ("HHEI", True, ["parent_hiv"], True),
    ],
)
def test_test_required_rule(status, tested, risks, required):
    assert (
        services.hiv_test_required(status_known=status, tested_last_6_months=tested, risks=risks)
        is required
    )


def test_screening_referral_tracked_to_a_positive_result(world, beta_household):
    enrolment = beta_household.enrolment
    with workspace_context(world.beta):
        screening = services.hiv_screening_record(
            actor=as_member(world.beta_worker, world.beta),
            enrolment=enrolment,
            screened_on=TODAY() - timedelta(days=5),
            status_known="HSKN",
            tested_last_6_months=False,
            risks=["sexual_abuse"],
        )
        assert screening.test_required and screening.referral_state == ReferralState.NEEDED
        services.hiv_referral_result_record(
            actor=as_member(world.beta_worker, world.beta),
            screening=screening,
            referred_on=TODAY() - timedelta(days=4),
            referral_completed_on=TODAY(),
            test_result="HSTP",
            art_referred_on=TODAY(),
            art_facility="Kondele HC",
        )
        screening.refresh_from_db()
        enrolment.refresh_from_db()
        assert screening.referral_state == ReferralState.COMPLETED
        assert enrolment.hiv_status == "HSTP"
        member = HouseholdMember.objects.get(person=enrolment.child_id)
        assert member.hiv_status == "HSTP"
        latest = facts_of(world, enrolment).filter(kind="ovc_hiv_status").latest("id")
        assert latest.payload["category"] == "positive_no_art"


def test_screening_without_risk_needs_no_referral(world, beta_household):
    with workspace_context(world.beta):
        screening = services.hiv_screening_record(
            actor=as_member(world.beta_worker, world.beta),
            enrolment=beta_household.enrolment,
            screened_on=TODAY(),
            status_known="HSKN",
            tested_last_6_months=False,
            risks=[],
        )
        assert screening.referral_state == ReferralState.NOT_NEEDED
        facts = facts_of(world, beta_household.enrolment)
        assert facts.filter(kind="ovc_hiv_test_not_required").exists()
        with pytest.raises(ValidationError):
            services.hiv_referral_result_record(
                actor=as_member(world.beta_worker, world.beta),
                screening=screening,
                referral_completed_on=TODAY(),
                test_result="HSTN",
            )
        with pytest.raises(ValidationError) as excinfo:
            services.hiv_screening_record(
                actor=as_member(world.beta_worker, world.beta),
                enrolment=beta_household.enrolment,
                screened_on=TODAY(),
                status_known="HSKN",
                tested_last_6_months=False,
                risks=[],
                referred_on=TODAY(),
            )
        assert "referred_on" in errors_of(excinfo)


def test_viral_suppression_rule():
    today = date(2026, 6, 30)
    assert services.virally_suppressed(1000, date(2026, 1, 1), today) is True
    assert services.virally_suppressed(1001, date(2026, 1, 1), today) is False
    assert services.virally_suppressed(40, date(2025, 6, 1), today) is None  # too old
    assert services.virally_suppressed(None, None, today) is None


def test_hiv_management_only_for_children_living_with_hiv(world, beta_household):
    with workspace_context(world.beta):
        with pytest.raises(ValidationError):
            services.hiv_management_visit_record(
                actor=as_member(world.beta_worker, world.beta),
                enrolment=beta_household.enrolment,
                visit_date=TODAY(),
                adherence="good",
            )
        positive = enrol(
            world.beta,
            world.beta_worker,
            beta_household.household,
            child=make_child("Neema", "Wanjiku"),
            hiv_status="HSTP",
            art_status="ARAR",
            facility="Kondele HC",
        )
        visit = services.hiv_management_visit_record(
            actor=as_member(world.beta_worker, world.beta),
            enrolment=positive,
            visit_date=TODAY(),
            adherence="good",
            viral_load=400,
            viral_load_date=TODAY() - timedelta(days=10),
        )
        assert services.virally_suppressed(visit.viral_load, visit.viral_load_date, TODAY())
        with pytest.raises(ValidationError) as excinfo:
            services.hiv_management_visit_record(
                actor=as_member(world.beta_worker, world.beta),
                enrolment=positive,
                visit_date=TODAY(),
                adherence="bad",
                viral_load=400,
            )
        assert set(errors_of(excinfo)) == {"adherence", "viral_load_date"}


def _exit(world, enrolment, reason, when=None):
    return services.enrolment_exit(
        actor=as_member(world.beta_worker, world.beta),
        enrolment=enrolment,
        exit_reason=reason,
        exit_date=when or TODAY(),
    )


def test_graduation_only_when_the_latest_cpara_meets_every_benchmark(world, beta_household):
    household, enrolment = beta_household.household, beta_household.enrolment
    with workspace_context(world.beta):
        with pytest.raises(ValidationError) as excinfo:
            _exit(world, enrolment, "ERCP")  # no CPARA yet
        assert "exit_reason" in errors_of(excinfo)
        services.cpara_record(
            actor=as_member(world.beta_worker, world.beta),
            household=household,
            assessed_on=TODAY() - timedelta(days=40),
            answers=ALL_MET,
        )
        services.cpara_record(
            actor=as_member(world.beta_worker, world.beta),
            household=household,
            assessed_on=TODAY() - timedelta(days=5),
            answers={**ALL_MET, 8: "no"},
        )
        with pytest.raises(ValidationError) as excinfo:
            _exit(world, enrolment, "ERCP")  # the latest one scores 8
        assert "8/9" in str(errors_of(excinfo)["exit_reason"])
        services.cpara_record(
            actor=as_member(world.beta_worker, world.beta),
            household=household,
            assessed_on=TODAY(),
            answers={**ALL_MET, 3: "na"},
        )
        exited = _exit(world, enrolment, "ERCP")
        assert exited.status == EnrolmentStatus.EXITED and exited.exit_reason == "ERCP"
        fact = facts_of(world, enrolment).filter(kind="ovc_graduated").get()
        assert fact.payload["category"] == "ERCP" and fact.payload["programme"] == "POVC"
        with pytest.raises(ValidationError):
            _exit(world, enrolment, "ERDE")  # already exited


@pytest.mark.parametrize("reason", ["ERTL", "EROE", "ERDE", "ERLW"])  # ERFO: test_transfers*
def test_other_exits_need_no_cpara(world, beta_household, reason):
    with workspace_context(world.beta):
        exited = _exit(world, beta_household.enrolment, reason, TODAY() - timedelta(days=30))
        assert exited.status == EnrolmentStatus.EXITED
        fact = facts_of(world, exited).filter(kind="ovc_exited").get()
        assert fact.payload["category"] == reason
        member = HouseholdMember.objects.get(person=exited.child_id)
        assert member.alive is (reason != "ERDE")


@pytest.mark.parametrize(("days", "reason"), [(-1, "future"), (91, "90 days"), (0, "ERXX")])
def test_exit_date_and_reason_rules(world, beta_household, days, reason):
    when = TODAY() - timedelta(days=days)
    with workspace_context(world.beta), pytest.raises(ValidationError) as excinfo:
        _exit(world, beta_household.enrolment, reason if reason == "ERXX" else "ERRL", when)
    errors = errors_of(excinfo)
    assert ("exit_reason" if reason == "ERXX" else "exit_date") in errors


def test_exit_may_go_back_exactly_90_days(world, beta_household):
    with workspace_context(world.beta):
        enrolment = enrol(
            world.beta,
            world.beta_worker,
            beta_household.household,
            child=make_child("Imani", "Wanjiku"),
            registration_date=TODAY() - timedelta(days=200),
        )
        exited = _exit(world, enrolment, "ERRL", TODAY() - timedelta(days=90))
    assert exited.exit_date == TODAY() - timedelta(days=90)


def test_a_new_household_for_another_caregiver(world, db):
    with workspace_context(world.beta):
        household = services.household_register(
            actor=as_member(world.beta_worker, world.beta),
            head=make_caregiver("Grace", "Achieng"),
            head_relation="CGGP",
        )
        assert household.members.get().member_type == "CGGP"
        with pytest.raises(ValidationError) as excinfo:
            services.household_register(
                actor=as_member(world.beta_worker, world.beta),
                head=make_caregiver("Tom", "Achieng"),
                head_relation="TOVC",
            )
        assert "head_member_type" in errors_of(excinfo)


def test_wellbeing_assessments_scored_per_domain(world, beta_household):
    from case_apps.ovc import codes

    household, enrolment = beta_household.household, beta_household.enrolment
    answers = {key: True for key, _d, _l in codes.WELLBEING_HOUSEHOLD}
    answers["enough_food"] = False
    with workspace_context(world.beta):
        assessment = services.wellbeing_record(
            actor=as_member(world.beta_worker, world.beta),
            household=household,
            kind="WBG",
            assessed_on=TODAY(),
            answers=answers,
        )
        assert assessment.scores == {
            "stable": [3, 4],
            "healthy": [3, 3],
            "safe": [5, 5],
            "schooled": [3, 3],
        }
        with pytest.raises(ValidationError) as excinfo:
            services.wellbeing_record(
                actor=as_member(world.beta_worker, world.beta),
                household=household,
                kind="WBGA",
                assessed_on=TODAY(),
                answers=answers,
            )
        errors = errors_of(excinfo)
        assert "enrolment" in errors and "q_no_older_gifts" in errors
        adolescent = {key: True for key, _d, _l in codes.WELLBEING_ADOLESCENT}
        record = services.wellbeing_record(
            actor=as_member(world.beta_worker, world.beta),
            household=household,
            kind="WBGA",
            assessed_on=TODAY(),
            answers=adolescent,
            enrolment=enrolment,
        )
        assert record.scores["safe"] == [7, 7]


def test_a_positive_status_is_never_edited_back(world, beta_household):
    enrolment = beta_household.enrolment
    with workspace_context(world.beta):
        services.enrolment_update(
            actor=as_member(world.beta_worker, world.beta),
            enrolment=enrolment,
            hiv_status="HSTP",
            art_status="ARAR",
            facility="Kondele HC",
        )
        assert facts_of(world, enrolment).filter(kind="ovc_hiv_status").count() == 2
        with pytest.raises(ValidationError) as excinfo:
            services.enrolment_update(
                actor=as_member(world.beta_worker, world.beta),
                enrolment=enrolment,
                hiv_status="HSTN",
            )
        assert "hiv_status" in errors_of(excinfo)
        # a supervisor may correct a positive status entered in error (the policy decides)
        supervisor = UserFactory(email="supervisor-hiv@beta.test")
        membership_grant(user=supervisor, organisation=world.beta, roles=[Role.SUPERVISOR])
        Supervision.objects.create(supervisor=supervisor, officer=world.beta_worker)
        corrected = services.enrolment_update(
            actor=as_member(supervisor, world.beta),
            enrolment=enrolment,
            hiv_status="HSTN",
        )
        assert corrected.hiv_status == "HSTN"
        _exit(world, corrected, "ERRL")
        with pytest.raises(ValidationError):
            services.enrolment_update(
                actor=as_member(world.beta_worker, world.beta),
                enrolment=corrected,
                school_level="SLSE",
            )


def test_school_status_is_a_fact_at_enrolment_and_when_it_changes(world, beta_household):
    enrolment = beta_household.enrolment
    with workspace_context(world.beta):
        school = facts_of(world, enrolment).filter(kind="ovc_school_status")
        assert [e.payload["category"] for e in school.order_by("id")] == ["SLPR"]
        services.enrolment_update(
            actor=as_member(world.beta_worker, world.beta), enrolment=enrolment, disability=True
        )
        assert school.count() == 1  # nothing about school changed
        services.enrolment_update(
            actor=as_member(world.beta_worker, world.beta), enrolment=enrolment, school_level="SLNS"
        )
        latest = school.latest("id")
        assert latest.payload["category"] == "SLNS"
        assert latest.occurred_at.date() == TODAY() and "Baraka" not in str(latest.payload)
        assert facts_of(world, enrolment).filter(kind="ovc_hiv_status").count() == 1


def test_every_hiv_status_fact_fits_the_national_category_column(world, beta_household):
    from national_statistics.models import Fact

    width = Fact._meta.get_field("category").max_length
    enrolment = beta_household.enrolment
    for hiv_status, art_status in (("HSTP", "ARAR"), ("HSTP", "ARPR"), ("HSTP", "ARUK")):
        with workspace_context(world.beta):
            services.enrolment_update(
                actor=as_member(world.beta_worker, world.beta),
                enrolment=enrolment,
                hiv_status=hiv_status,
                art_status=art_status,
                facility="Kondele HC",
            )
            category = facts_of(world, enrolment).filter(kind="ovc_hiv_status").latest("id")
            assert len(category.payload["category"]) <= width
    with workspace_context(world.beta):
        categories = {
            e.payload["category"] for e in facts_of(world, enrolment).filter(kind="ovc_hiv_status")
        }
    assert categories == {"negative", "positive_on_art", "positive_no_art"}
