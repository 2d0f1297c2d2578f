"""Retention: only what is past its period (and its person past the age) is disposed of, with
an audit entry per record, a report, a platform summary, chains intact, and once only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from audit.chain import audit_verify_all
from audit.models import DisposalRun, PlatformAccessEntry, RetentionRule
from audit.retention import (
    RETENTION_RECORD_KIND,
    _months_before,
    dispose_expired,
    effective_rules,
    retention_rule_set,
)
from audit.tasks import dispose_expired_task
from case_apps.cases.models import CaseCategory, CaseRecord
from case_apps.ovc import services as ovc_services
from case_apps.ovc.models import Enrolment, Household
from tenants.actor import Actor, Forbidden, member_actor
from tenants.models import PlatformRole
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child, open_case
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.ovc.conftest import as_member, enrol, make_caregiver

pytestmark = pytest.mark.django_db

SECRET = "ZQXRETENTIONNARRATIVE"


def _years_ago(years: int, days: int = 0) -> datetime:
    now = timezone.now()
    return now.replace(year=now.year - years) - timedelta(days=days)


def _close(case, closed_at: datetime) -> None:
    CaseRecord.objects.filter(pk=case.pk).update(status="closed", closed_at=closed_at)


@dataclass
class Cases:
    expired: CaseRecord  # adult now, closed 11 years ago
    recent: CaseRecord  # adult now, closed 5 years ago
    young: CaseRecord  # closed 11 years ago, but the child is 21
    still_open: CaseRecord  # adult, never closed
    unknown_age: CaseRecord  # no birth date: counts as born when reported (reported 3 y ago)


@pytest.fixture
def cases(world, national_lists) -> Cases:
    adult = make_child("Zawadi", "Expired", date_of_birth=date(1990, 1, 1))
    adult2 = make_child("Juma", "Recent", sex="SMAL", date_of_birth=date(1991, 2, 2))
    young = make_child(
        "Imani",
        "Young",
        date_of_birth=timezone.localdate().replace(year=timezone.localdate().year - 21),
    )
    adult3 = make_child("Otieno", "Open", sex="SMAL", date_of_birth=date(1980, 5, 5))
    unknown = make_child("Nobody", "Knows", date_of_birth=None)
    made = [
        open_case(world.acme, world.acme_worker, person, narrative=SECRET)
        for person in (adult, adult2, young, adult3, unknown)
    ]
    with workspace_context(world.acme):
        _close(made[0], _years_ago(11))
        _close(made[1], _years_ago(5))
        _close(made[2], _years_ago(11))
        _close(made[4], _years_ago(11))
    return Cases(*made)


def _acme_ids() -> set[int]:
    return set(CaseRecord.objects.values_list("pk", flat=True))


def test_defaults_keep_closed_cases_ten_years_and_until_25():
    rules = {rule.kind.name: rule for rule in effective_rules()}
    assert (rules["case_records"].months, rules["case_records"].min_age_years) == (120, 25)
    assert rules["ovc_enrolments"].min_age_years == 25
    assert not rules["case_records"].overridden
    assert _months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert _months_before(date(2026, 11, 25), 120) == date(2016, 11, 25)


def test_dry_run_lists_only_the_expired_and_changes_nothing(world, cases):
    with workspace_context(world.acme):
        before = _acme_ids()
        entries = LogEntry.objects.count()
        run = dispose_expired(organisation=world.acme, dry_run=True)
        assert _acme_ids() == before and LogEntry.objects.count() == entries
    [result] = [r for r in run.results if r["kind"] == "case_records"]
    assert [r["id"] for r in result["records"]] == [cases.expired.pk]
    assert result["records"][0]["reference"] == cases.expired.national_reference
    assert run.dry_run and run.total == 1
    assert not PlatformAccessEntry.objects.filter(record_kind=RETENTION_RECORD_KIND).exists()


def test_disposal_deletes_the_expired_writes_entries_and_keeps_chains(world, cases):
    with workspace_context(world.acme):
        category_ids = list(
            CaseCategory.objects.filter(case=cases.expired).values_list("pk", flat=True)
        )
        assert category_ids
    assert dispose_expired_task.delay(requested_by_id=world.hq_admin.pk).get() >= 2

    with workspace_context(world.acme):
        remaining = _acme_ids()
        assert cases.expired.pk not in remaining
        assert {cases.recent.pk, cases.young.pk, cases.still_open.pk, cases.unknown_age.pk} <= (
            remaining
        )
        assert not CaseCategory.objects.filter(pk__in=category_ids).exists()
        [entry] = LogEntry.objects.filter(additional_data__retention__record_kind="case_records")
        assert entry.action == LogEntry.Action.DELETE
        assert entry.object_id == cases.expired.pk
        assert entry.object_repr == cases.expired.national_reference
        assert entry.additional_data["retention"]["months"] == 120
        assert entry.content_type.model == "caserecord"
        # the disposal copied no value of the record into the append-only log
        assert not LogEntry.objects.filter(
            object_pk__in=[str(i) for i in category_ids],
            content_type__model="casecategory",
            action=LogEntry.Action.DELETE,
        ).exists()
        assert SECRET not in str(list(LogEntry.objects.filter(pk__gte=entry.pk).values()))

    run = DisposalRun.objects.get(organisation=world.acme, dry_run=False)
    assert run.total == 1 and run.requested_by == world.hq_admin
    summary = PlatformAccessEntry.objects.get(
        record_kind=RETENTION_RECORD_KIND, organisation_slug="acme"
    )
    assert summary.record_id == str(run.pk) and "case_records 1" in summary.purpose
    assert DisposalRun.objects.filter(organisation=world.beta, dry_run=False).exists()
    assert audit_verify_all() and all(v is None for v in audit_verify_all().values())


def test_running_twice_disposes_once(world, cases):
    dispose_expired_task.delay()
    with workspace_context(world.acme):
        entries = LogEntry.objects.count()
        left = _acme_ids()
    dispose_expired_task.delay()
    with workspace_context(world.acme):
        assert LogEntry.objects.count() == entries and _acme_ids() == left
    second = DisposalRun.objects.filter(organisation=world.acme).order_by("-id").first()
    assert second.total == 0


def test_unknown_age_counts_from_the_day_reported(world, cases):
    with workspace_context(world.acme):
        CaseRecord.objects.filter(pk=cases.unknown_age.pk).update(
            date_reported=timezone.localdate().replace(year=timezone.localdate().year - 26)
        )
        run = dispose_expired(organisation=world.acme, dry_run=True)
    listed = {rec["id"] for r in run.results for rec in r["records"]}
    assert listed == {cases.expired.pk, cases.unknown_age.pk}


def test_a_rule_set_by_headquarters_applies_and_is_validated(world, cases):
    retention_rule_set(
        record_kind="case_records",
        months=48,
        min_age_years=None,
        action="delete",
        legal_basis="test",
        enabled=True,
        actor=Actor(user=world.hq_admin),
    )
    with workspace_context(world.acme):
        run = dispose_expired(organisation=world.acme, dry_run=True)
    listed = {rec["id"] for r in run.results for rec in r["records"]}
    assert listed == {cases.expired.pk, cases.recent.pk, cases.young.pk, cases.unknown_age.pk}
    for bad in ({"months": 6}, {"action": "deidentify"}, {"min_age_years": 200}):
        values = {
            "record_kind": "case_records",
            "months": 48,
            "min_age_years": None,
            "action": "delete",
            "legal_basis": "",
            "enabled": True,
            "actor": Actor(user=world.hq_admin),
        } | bad
        with pytest.raises(ValidationError):
            retention_rule_set(**values)
    assert RetentionRule.objects.get(record_kind="case_records").months == 48


def test_the_rule_service_refuses_anyone_but_headquarters_and_changes_nothing(world):
    analyst = UserFactory(platform_roles=[PlatformRole.ANALYST])
    before = list(RetentionRule.objects.values_list("record_kind", "months"))
    for actor in (Actor(user=analyst), member_actor(world.acme_admin, world.acme)):
        with pytest.raises(Forbidden):
            retention_rule_set(
                record_kind="case_records",
                months=12,
                min_age_years=None,
                action="delete",
                legal_basis="",
                enabled=True,
                actor=actor,
            )
    assert list(RetentionRule.objects.values_list("record_kind", "months")) == before


def test_a_disabled_rule_disposes_of_nothing(world, cases):
    retention_rule_set(
        record_kind="case_records",
        months=120,
        min_age_years=25,
        action="delete",
        legal_basis="",
        enabled=False,
        actor=Actor(user=world.hq_admin),
    )
    with workspace_context(world.acme):
        run = dispose_expired(organisation=world.acme)
        assert cases.expired.pk in _acme_ids()
    assert run.total == 0


def test_exited_ovc_enrolments_are_disposed_households_kept(world):
    with workspace_context(world.beta):
        household = ovc_services.household_register(
            actor=as_member(world.beta_worker, world.beta),
            head=make_caregiver(),
            village="Kondele",
        )
        born = date(1995, 1, 1)
        old = enrol(
            world.beta,
            world.beta_worker,
            household,
            child=make_child("Old", "Leaver", date_of_birth=born),
        )
        current = enrol(
            world.beta,
            world.beta_worker,
            household,
            child=make_child("Still", "Here", date_of_birth=born),
        )
        Enrolment.objects.filter(pk=old.pk).update(
            status="exited",
            exit_reason="EXGR",
            exit_date=timezone.localdate().replace(year=timezone.localdate().year - 8),
        )
        run = dispose_expired(organisation=world.beta)
        assert not Enrolment.objects.filter(pk=old.pk).exists()
        assert Enrolment.objects.filter(pk=current.pk).exists()
        assert Household.objects.filter(pk=household.pk).exists()
        assert LogEntry.objects.filter(
            additional_data__retention__record_kind="ovc_enrolments", object_id=old.pk
        ).exists()
    assert run.total == 1


def test_a_household_left_without_enrolments_goes_on_the_next_run(world):
    eight_years_ago = timezone.localdate().replace(year=timezone.localdate().year - 8)
    with workspace_context(world.beta):
        household = ovc_services.household_register(
            actor=as_member(world.beta_worker, world.beta),
            head=make_caregiver(),
            village="Kondele",
        )
        child = make_child("Last", "Child", date_of_birth=date(1995, 1, 1))
        enrolment = enrol(world.beta, world.beta_worker, household, child=child)
        Enrolment.objects.filter(pk=enrolment.pk).update(
            status="exited", exit_reason="EXGR", exit_date=eight_years_ago
        )
        Household.objects.filter(pk=household.pk).update(created_at=_years_ago(9))
        dry = dispose_expired(organisation=world.beta, dry_run=True)
        first = dispose_expired(organisation=world.beta)
        assert not Enrolment.objects.filter(pk=enrolment.pk).exists()
        assert Household.objects.filter(pk=household.pk).exists()  # a run does what its dry
        second = dispose_expired(organisation=world.beta)  # run listed; the household: next
        assert not Household.objects.filter(pk=household.pk).exists()
        assert LogEntry.objects.filter(
            additional_data__retention__record_kind="ovc_households", object_id=household.pk
        ).exists()

    def listed(run):
        return {(r["kind"], rec["id"]) for r in run.results for rec in r["records"]}

    assert listed(dry) == listed(first) == {("ovc_enrolments", enrolment.pk)}
    assert listed(second) == {("ovc_households", household.pk)}


def test_a_recently_assessed_household_is_kept(world):
    with workspace_context(world.beta):
        household = ovc_services.household_register(
            actor=as_member(world.beta_worker, world.beta),
            head=make_caregiver("Ann", "Kept"),
            village="Kondele",
        )
        Household.objects.filter(pk=household.pk).update(created_at=_years_ago(9))
        household.cparas.create(
            assessed_on=timezone.localdate() - timedelta(days=30),
            pathway="x",
            assessed_by=world.beta_worker,
        )
        run = dispose_expired(organisation=world.beta, dry_run=True)
    assert all(
        rec["id"] != household.pk
        for r in run.results
        if r["kind"] == "ovc_households"
        for rec in r["records"]
    )


def test_the_command_runs_dry(world, cases):
    out = StringIO()
    call_command("dispose_expired", "--dry-run", "--organisation", "acme", stdout=out)
    assert out.getvalue().strip() == "acme: would dispose of 1 records"
    with workspace_context(world.acme):
        assert cases.expired.pk in _acme_ids()


def test_console_page_sets_rules_and_runs_a_dry_run(world, cases):
    client = client_on(None, world.hq_admin)
    page = client.get("/console/audit/retention/")
    assert page.status_code == 200 and b"closed case records" in page.content
    bad = client.post(
        "/console/audit/retention/",
        {
            "action": "save",
            "record_kind": "case_records",
            "months": "six",
            "min_age_years": "25",
            "rule_action": "delete",
            "legal_basis": "typed",
            "enabled": "on",
        },
    )
    assert bad.status_code == 400 and b'value="six"' in bad.content
    assert not RetentionRule.objects.exists()
    saved = client.post(
        "/console/audit/retention/",
        {
            "action": "save",
            "record_kind": "case_records",
            "months": "130",
            "min_age_years": "25",
            "rule_action": "delete",
            "legal_basis": "DPA",
            "enabled": "on",
        },
    )
    assert saved.status_code == 302
    assert RetentionRule.objects.get(record_kind="case_records").months == 130
    assert client.post("/console/audit/retention/", {"action": "dispose"}).status_code == 400
    dry = client.post("/console/audit/retention/", {"action": "dry_run"}, follow=True)
    assert dry.status_code == 200
    assert cases.expired.national_reference.encode() in dry.content
    with workspace_context(world.acme):
        assert cases.expired.pk in _acme_ids()


def test_console_page_is_for_national_administrators_only(world):
    analyst = UserFactory(email="analyst@dcs.test", platform_roles=[PlatformRole.ANALYST])
    for user in (world.acme_admin, analyst, world.outsider):
        assert client_on(None, user).get("/console/audit/retention/").status_code == 403
        assert (
            client_on(None, user)
            .post("/console/audit/retention/", {"action": "dispose", "confirm": "yes"})
            .status_code
            == 403
        )
    assert client_on(None).get("/console/audit/retention/").status_code == 302
    assert not DisposalRun.objects.exists()
