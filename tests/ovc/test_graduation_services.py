"""Benchmark monitoring (the service's rules) and the graduation pathway's reads: the
household panel, readiness bands and their movement, the graduation and exits reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from case_apps.ovc import date_rules, selectors_graduation, services_graduation
from case_apps.ovc.models_graduation import BenchmarkMonitoring
from tenants.actor import Forbidden, NotFound
from tenants.models import Role
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child
from tests.ovc.conftest import as_member, enrol
from tests.ovc.graduation_helpers import (
    TODAY,
    beta_member,
    cpara_on,
    days_back,
    exit_on,
    met_scoring,
    monitoring_on,
)

pytestmark = pytest.mark.django_db


def _record(world, household, **overrides):
    arguments = {
        "actor": as_member(world.beta_worker, world.beta),
        "household": household,
        "monitored_on": TODAY(),
        "met": met_scoring(9),
    }
    arguments.update(overrides)
    return services_graduation.benchmark_monitoring_record(**arguments)


def _errors(world, household, **overrides) -> dict:
    with pytest.raises(ValidationError) as raised:
        _record(world, household, **overrides)
    assert not BenchmarkMonitoring.objects.exists()  # nothing saved on error
    return raised.value.message_dict


def test_monitoring_records_each_benchmark_and_the_exit_checks(world, beta_household):
    with workspace_context(world.beta):
        visit = _record(
            world,
            beta_household.household,
            ready_for_exit=True,
            closure_checked=True,
            notes="All good",
        )
        visit.refresh_from_db()
        assert visit.total == 9 and visit.all_met
        assert visit.met == {str(n): True for n in range(1, 10)}
        assert visit.ready_for_exit and visit.closure_checked
        assert visit.recorded_by_id == world.beta_worker.pk
        partial = _record(world, beta_household.household, met=met_scoring(6))
        assert partial.total == 6 and not partial.is_met(1) and partial.is_met(9)


def test_monitoring_refuses_what_cannot_be(world, beta_household):
    household = beta_household.household
    with workspace_context(world.beta):
        assert "monitored_on" in _errors(world, household, monitored_on=TODAY() + timedelta(1))
        assert "monitored_on" in _errors(world, household, monitored_on=days_back(91))
        assert "monitored_on" in _errors(world, household, monitored_on=None)
        missing = met_scoring(9)
        del missing[4]
        assert "benchmark_4" in _errors(world, household, met=missing)
        assert "benchmark_2" in _errors(world, household, met={**met_scoring(9), 2: "yes"})
        assert "__all__" in _errors(world, household, met={**met_scoring(9), 12: True})
        ready = _errors(world, household, met=met_scoring(8), ready_for_exit=True)
        assert "ready_for_exit" in ready
        assert "closure_checked" in _errors(world, household, closure_checked=True)


def test_monitoring_follows_the_date_rules_when_history_is_replayed(world, beta_household):
    with workspace_context(world.beta):
        day = days_back(120)
        with date_rules.entered_on(day + timedelta(days=90)):
            visit = _record(world, beta_household.household, monitored_on=day)
        assert visit.monitored_on == day


def test_monitoring_only_for_who_may_record_in_their_caseload(world, beta_household):
    with workspace_context(world.beta):
        stranger = beta_member(world, "other@beta.test")
        viewer = beta_member(world, "viewer@beta.test", Role.VIEWER)
        with pytest.raises(NotFound):
            _record(world, beta_household.household, actor=as_member(stranger, world.beta))
        with pytest.raises(Forbidden):
            _record(world, beta_household.household, actor=as_member(viewer, world.beta))
        with pytest.raises(NotFound):
            selectors_graduation.benchmark_monitoring_list(
                actor=as_member(stranger, world.beta), household_id=beta_household.household.pk
            )
        assert not BenchmarkMonitoring.objects.exists()


def test_the_panel_sets_the_latest_cpara_against_the_latest_monitoring(world, beta_household):
    household = beta_household.household
    with workspace_context(world.beta):
        empty = selectors_graduation.graduation_panel(household=household)
        assert empty["graduation_cpara"] is None and empty["graduation_monitoring"] is None
        cpara_on(world, household, days_back(30), 6)  # 1-3 not met
        monitoring_on(world, household, days_back(10), 4)  # 1-5 not met
        latest = monitoring_on(world, household, days_back(2), 7)  # 1-2 not met
        panel = selectors_graduation.graduation_panel(household=household)
        assert panel["graduation_monitoring"] == latest
        trends = {row.number: row.trend for row in panel["graduation_rows"]}
        assert trends == {1: "same", 2: "same", 3: "up", **{n: "same" for n in range(4, 10)}}
        later = monitoring_on(world, household, TODAY(), 5)  # 1-4 not met
        panel = selectors_graduation.graduation_panel(household=household)
        trends = {row.number: row.trend for row in panel["graduation_rows"]}
        assert trends[3] == "same" and trends[4] == "down"
        assert panel["graduation_monitoring"] == later
        timeline = panel["graduation_timeline"]
        assert [t[2] for t in timeline] == [5, 7, 4, 6]
        assert [t[0] for t in timeline] == ["monitoring"] * 3 + ["cpara"]


def _second_household(world, village: str, first_name: str = "Neema"):
    from case_apps.ovc import services

    household = services.household_register(
        actor=as_member(world.beta_worker, world.beta),
        head=make_child(first_name, "Mama", sex="SFEM", date_of_birth=None),
        village=village,
    )
    return household


def test_bands_and_their_movement_by_quarter(world, beta_household):
    with workspace_context(world.beta):
        worker = as_member(world.beta_worker, world.beta)
        this_quarter = selectors_graduation.quarter_start(TODAY())
        last_quarter = this_quarter - timedelta(days=20)
        rising = beta_household.household
        cpara_on(world, rising, last_quarter, 3)
        cpara_on(world, rising, TODAY(), 9)
        falling = _second_household(world, "Falling")
        cpara_on(world, falling, last_quarter, 8)
        cpara_on(world, falling, TODAY(), 6)
        steady = _second_household(world, "Steady", "Imani")
        cpara_on(world, steady, last_quarter, 5)
        cpara_on(world, steady, TODAY(), 7)
        newcomer = _second_household(world, "New", "Zuhura")
        cpara_on(world, newcomer, TODAY(), 8)
        _second_household(world, "Unassessed", "Halima")
        board = selectors_graduation.readiness_dashboard(actor=worker, as_of=TODAY())
        bands = {code: n for code, _label, n in board["bands"]}
        assert bands == {"highly_vulnerable": 0, "medium": 2, "low": 1, "ready_to_graduate": 1}
        assert board["without_cpara"] == 1 and board["households"] == 5
        now = board["movements"][-1]
        assert (now.up, now.down, now.stayed, now.first) == (1, 1, 1, 1)
        before = board["movements"][-2]
        assert (before.up, before.down, before.stayed, before.first) == (0, 0, 0, 3)
        assert len(board["movements"]) == 4
        # as of the last quarter's end, the bands are last quarter's
        earlier = selectors_graduation.readiness_dashboard(
            actor=worker, as_of=this_quarter - timedelta(days=1), quarters=1
        )
        bands = {code: n for code, _label, n in earlier["bands"]}
        assert bands == {"highly_vulnerable": 1, "medium": 1, "low": 1, "ready_to_graduate": 0}
        # another worker's caseload holds none of them
        stranger = as_member(beta_member(world, "other@beta.test"), world.beta)
        theirs = selectors_graduation.readiness_dashboard(actor=stranger, as_of=TODAY())
        assert theirs["households"] == 0 and all(n == 0 for _c, _l, n in theirs["bands"])


def test_report_period_and_day_are_checked():
    today = TODAY()
    start, end = selectors_graduation.report_period(None, None, today=today)
    assert start == selectors_graduation.quarter_start(today) and end == today
    with pytest.raises(ValidationError) as raised:
        selectors_graduation.report_period(today, today - timedelta(days=1), today=today)
    assert "end" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        selectors_graduation.report_period(None, today + timedelta(days=1), today=today)
    assert "end" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        selectors_graduation.report_period(today.replace(year=1980), None, today=today)
    assert "start" in raised.value.message_dict
    with pytest.raises(ValidationError):
        selectors_graduation.report_day(today + timedelta(days=1), today=today)


def test_graduation_report_names_the_cpara_that_allowed_it(world, beta_household):
    household, graduate = beta_household.household, beta_household.enrolment
    with workspace_context(world.beta):
        worker = as_member(world.beta_worker, world.beta)
        cpara_on(world, household, days_back(20), 7)
        allowing = cpara_on(world, household, days_back(10), 9)
        sibling = enrol(world.beta, world.beta_worker, household, make_child("Juma", "W"))
        exit_on(world, graduate, "ERCP", days_back(5))
        # another household is ready but has not graduated
        waiting = _second_household(world, "Waiting")
        enrol(world.beta, world.beta_worker, waiting, make_child("Amani", "Mama"))
        cpara_on(world, waiting, days_back(3), 9)
        report = selectors_graduation.graduation_report(
            actor=worker, start=days_back(30), end=TODAY()
        )
        assert [e.pk for e in report["children"]] == [graduate.pk]
        assert report["children"][0].cpara == allowing
        (row,) = report["households"]
        assert row.still_active == 1 and not row.fully_graduated
        assert report["households_graduated"] == 0
        ready = {r["household"].pk: r for r in report["ready"]}
        assert set(ready) == {household.pk, waiting.pk}  # the sibling is still active
        exit_on(world, sibling, "ERCP", days_back(1))
        report = selectors_graduation.graduation_report(
            actor=worker, start=days_back(30), end=TODAY()
        )
        assert report["households_graduated"] == 1
        assert [r["household"].pk for r in report["ready"]] == [waiting.pk]
        before = selectors_graduation.graduation_report(
            actor=worker, start=days_back(60), end=days_back(6)
        )
        assert before["children"] == [] and before["ready"] == []


def test_exits_report_counts_by_reason_sex_and_age_band(world, beta_household):
    household = beta_household.household
    with workspace_context(world.beta):
        worker = as_member(world.beta_worker, world.beta)
        boy = beta_household.enrolment  # Baraka, male, born 2014
        girl = enrol(
            world.beta,
            world.beta_worker,
            household,
            make_child("Wanjiru", "W", sex="SFEM", date_of_birth=TODAY().replace(year=2010)),
        )
        toddler = enrol(
            world.beta,
            world.beta_worker,
            household,
            make_child("Tumaini", "W", sex="SFEM", date_of_birth=days_back(800)),
        )
        exit_on(world, boy, "ERRL", days_back(3))
        exit_on(world, girl, "ERRL", days_back(2))
        exit_on(world, toddler, "ERDE", days_back(1))
        report = selectors_graduation.exits_report(actor=worker, start=days_back(10), end=TODAY())
        rows = {row.reason: row for row in report["rows"]}
        assert rows["ERRL"].total == 2 and rows["ERDE"].total == 1 and rows["ERCP"].total == 0
        assert dict(rows["ERRL"].sex_cells())["SMAL"] == 1
        assert dict(rows["ERRL"].sex_cells())["SFEM"] == 1
        assert dict(rows["ERDE"].age_cells())["1-4"] == 1
        assert report["total"].total == 3
        assert dict(report["total"].age_cells())["15-17"] == 1
        drill = selectors_graduation.exits_children(
            actor=worker, start=days_back(10), end=TODAY(), reason="ERRL", sex="SFEM"
        )
        assert [e.pk for e in drill] == [girl.pk]
        until_boy = selectors_graduation.exits_children(
            actor=worker, start=days_back(10), end=days_back(3)
        )
        assert [e.pk for e in until_boy] == [boy.pk]
        with pytest.raises(ValidationError) as raised:
            selectors_graduation.exits_children(
                actor=worker, start=days_back(10), end=TODAY(), reason="XX", age_band="old"
            )
        assert {"reason", "age_band"} <= set(raised.value.message_dict)
        stranger = as_member(beta_member(world, "other@beta.test"), world.beta)
        theirs = selectors_graduation.exits_report(actor=stranger, start=days_back(10), end=TODAY())
        assert theirs["total"].total == 0


def test_the_demo_monitors_each_assessed_household_once(world, beta_household):
    from case_apps.ovc.demo_graduation import ovc_graduation_demo

    with workspace_context(world.beta):
        cpara_on(world, beta_household.household, days_back(40), 7)
        assert ovc_graduation_demo(organisation=world.beta, worker=world.beta_worker) == 1
        visit = BenchmarkMonitoring.objects.get()
        assert visit.total == 8 and visit.monitored_on == days_back(10)
        assert ovc_graduation_demo(organisation=world.beta, worker=world.beta_worker) == 0
