"""The timeline reads what kinds of record a case has first (one query) and asks only the
sources of those kinds (case_apps/cases/selectors_presence.py): nothing may go missing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from case_apps.cases import presenters
from case_apps.cases.models import CaseRecord, FollowUp
from case_apps.cases.models_court import CourtSession
from case_apps.cases.presenters import present_timeline, present_timelines
from case_apps.cases.selectors import case_timeline
from case_apps.cases.selectors_presence import has_rows, note_rows_present, source_reads
from case_apps.cases.services.court import court_session_record, summons_issue
from case_apps.cases.services.follow_ups import follow_up_record
from case_apps.cases.services.interventions import intervention_record
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, make_child, open_case
from tests.conftest import client_on

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _follow_up(world, user, case, days_ago=2):
    return follow_up_record(
        case=case,
        actor=actor_of(world.acme, user),
        follow_up_type="HVIS",
        date=TODAY() - timedelta(days=days_ago),
        notes="Visited the family",
    )


def _court_session(world, user, case):
    return court_session_record(
        actor=actor_of(world.acme, user),
        case=case,
        session_date=TODAY() - timedelta(days=1),
        court_name="Kisumu Children's Court",
        court_file_number="CP 12/2026",
        session_type="STMN",
        outcome="CADJ",
        adjournment_reason="CHEA",
        next_court_date=TODAY() + timedelta(days=14),
    )


def _tables_read(queries) -> set[str]:
    """The tables a timeline's queries selected from (not the presence query's EXISTS)."""
    return {
        query["sql"].split(" FROM ", 1)[1].split()[0].strip('"')
        for query in queries
        if query["sql"] and query["sql"].startswith("SELECT") and "EXISTS (" not in query["sql"]
    }


def _entries(items) -> list[tuple]:
    return [
        (item.on, item.kind, str(item.title), [str(line) for line in item.lines]) for item in items
    ]


def test_every_kind_a_case_has_is_on_its_timeline_as_when_every_source_is_asked(
    world, team, monkeypatch
):
    case = open_case(world.acme, team.worker)
    with workspace_context(world.acme):
        _follow_up(world, team.worker, case)
        _court_session(world, team.worker, case)
        summons_issue(
            actor=actor_of(world.acme, team.worker),
            case=case,
            person_name="Juma Baraka",
            issued_on=TODAY() - timedelta(days=1),
            appear_on=TODAY() + timedelta(days=7),
            place="Kisumu DCS office",
        )
        intervention_record(
            case=case,
            actor=actor_of(world.acme, team.worker),
            category_id=case.categories.get().pk,
            intervention_code="RTKC",
            date=TODAY() - timedelta(days=1),
        )
        noted = _entries(present_timeline(CaseRecord.objects.get(pk=case.pk)))
        monkeypatch.setattr(presenters, "note_rows_present", lambda cases, reads: None)
        every_source_asked = _entries(present_timeline(CaseRecord.objects.get(pk=case.pk)))
    assert noted == every_source_asked
    assert {"opened", "follow_up", "court_session", "summons", "intervention"} <= {
        kind for _on, kind, _title, _lines in noted
    }


def test_a_case_with_follow_ups_only_is_not_asked_for_court_records_until_it_has_one(world, team):
    case = open_case(world.acme, team.worker)
    with workspace_context(world.acme):
        _follow_up(world, team.worker, case)
        with CaptureQueriesContext(connection) as before:
            kinds = {item.kind for item in present_timeline(CaseRecord.objects.get(pk=case.pk))}
        assert "follow_up" in kinds
        read = _tables_read(before.captured_queries)
        assert FollowUp._meta.db_table in read
        assert CourtSession._meta.db_table not in read
        assert not {"cases_summons", "cases_caseintervention", "cases_placement"} & read

        _court_session(world, team.worker, case)
        with CaptureQueriesContext(connection) as after:
            kinds = {item.kind for item in present_timeline(CaseRecord.objects.get(pk=case.pk))}
    assert "court_session" in kinds
    assert CourtSession._meta.db_table in _tables_read(after.captured_queries)
    assert len(after.captured_queries) > len(before.captured_queries)


def test_one_query_says_what_each_of_several_cases_has(world, team):
    child = make_child("Baraka", "Mutua")
    quiet = open_case(world.acme, team.worker, child=child)
    busy = open_case(world.acme, team.worker, child=child)
    with workspace_context(world.acme):
        _follow_up(world, team.worker, busy)
        cases = list(CaseRecord.objects.filter(pk__in=[quiet.pk, busy.pk]).order_by("pk"))
        assert has_rows(cases[0], FollowUp)  # never noted: asked as before
        reads = source_reads([case_timeline])
        with CaptureQueriesContext(connection) as noting:
            note_rows_present(cases, reads)
            note_rows_present(cases, reads)  # already noted: not asked again
        assert len(noting.captured_queries) == 1
        assert not has_rows(cases[0], FollowUp)
        assert has_rows(cases[1], FollowUp)
        timeline = present_timelines(cases)
    follow_ups = [item for item in timeline if item.kind == "follow_up"]
    assert [item.case_reference for item in follow_ups] == [busy.national_reference]


def test_the_child_page_shows_each_case_s_records_and_reads_only_the_kinds_they_have(world, team):
    child = make_child("Zawadi", "Kamau")
    first = open_case(world.acme, team.worker, child=child)
    second = open_case(world.acme, team.worker, child=child)
    with workspace_context(world.acme):
        _follow_up(world, team.worker, first)
        _court_session(world, team.worker, second)
    client = client_on(world.acme, team.supervisor)
    with CaptureQueriesContext(connection) as page:
        answer = client.get(f"/cases/children/{child.pk}/")
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "Visited the family" in text and "Kisumu Children" in text
    read = _tables_read(page.captured_queries)
    assert not {"cases_summons", "cases_caseintervention", "cases_bursaryaward"} & read
