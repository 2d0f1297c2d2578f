"""The home page's case tiles come from counts the database keeps (models_tiles.py): they
must equal a count of the cases themselves after every kind of write, for every caseload
scope, and an update that moves no case between tiles must not touch them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from case_apps.cases import selectors, services
from case_apps.cases.models import CaseRecord, CaseStage, CaseStatus
from case_apps.cases.models_tiles import CaseTileCount
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, open_case

pytestmark = pytest.mark.django_db

KEY = ("assigned_officer_id", "created_by_id", "stage", "status", "risk_level")


def kept_counts() -> dict:
    return {row[:-1]: row[-1] for row in CaseTileCount.objects.values_list(*KEY, "n") if row[-1]}


def counted() -> dict:
    rows = CaseRecord.objects.order_by().values_list(*KEY).annotate(n=Count("*"))
    return {row[:-1]: row[-1] for row in rows}


def summary_counted_from_cases(actor) -> tuple:
    """What the tiles showed when they counted the visible cases themselves."""
    visible = selectors.cases_visible_to(actor=actor)
    open_ = visible.filter(status__in=selectors.OPEN_STATUSES)
    return (
        {stage: visible.filter(stage=stage).count() for stage in CaseStage.values},
        open_.count(),
        open_.filter(risk_level="RLHG").count(),
        open_.filter(assigned_officer=actor.user).count(),
    )


def test_the_kept_counts_follow_every_kind_of_write(world, team):
    first = open_case(world.acme, team.worker, risk_level="RLHG")
    second = open_case(world.acme, team.other_worker, risk_level="RLLW")
    open_case(world.acme, team.worker, risk_level="RLMD")
    with workspace_context(world.acme):
        assert kept_counts() == counted() and sum(kept_counts().values()) == 3
        services.case_reassign(
            case=first,
            actor=actor_of(world.acme, team.supervisor),
            officer=team.other_worker,
            reason="Worker on leave",
        )
        assert kept_counts() == counted()
        services.follow_up_record(  # the first action after intake: pending becomes active
            case=second,
            actor=actor_of(world.acme, team.other_worker),
            follow_up_type="HVIS",
            date=timezone.localdate() - timedelta(days=1),
        )
        assert CaseRecord.objects.get(pk=second.pk).stage == CaseStage.ACTIVE
        assert kept_counts() == counted()
        # a statement moving many cases at once, and one removing cases
        CaseRecord.objects.update(status=CaseStatus.CLOSED, stage=CaseStage.CLOSED)
        assert kept_counts() == counted()
        CaseRecord.objects.filter(pk=first.pk).delete()
        assert kept_counts() == counted() and sum(kept_counts().values()) == 2


def test_an_update_that_moves_no_case_leaves_the_counts_untouched(world, team):
    case = open_case(world.acme, team.worker)
    with workspace_context(world.acme), connection.cursor() as cursor:
        cursor.execute("SELECT id, xmin::text FROM cases_casetilecount ORDER BY id")
        before = cursor.fetchall()
        CaseRecord.objects.filter(pk=case.pk).update(narrative="Seen again at school")
        cursor.execute("SELECT id, xmin::text FROM cases_casetilecount ORDER BY id")
        assert cursor.fetchall() == before  # not rewritten: no row locked by the update


def test_the_tiles_count_what_each_scope_sees(world, team):
    open_case(world.acme, team.worker, risk_level="RLHG")
    open_case(world.acme, team.worker, risk_level="RLLW")
    open_case(world.acme, team.other_worker, risk_level="RLHG")
    with workspace_context(world.acme):
        for user in (team.worker, team.other_worker, team.supervisor, team.viewer):
            actor = actor_of(world.acme, user)
            summary = selectors.caseload_summary(actor=actor)
            shown = (
                summary.stages,
                summary.open_cases,
                summary.high_risk_open,
                summary.my_open_cases,
            )
            assert shown == summary_counted_from_cases(actor), user.email
        worker = selectors.caseload_summary(actor=actor_of(world.acme, team.worker))
        assert (worker.open_cases, worker.my_open_cases, worker.high_risk_open) == (2, 2, 1)


def test_another_workspace_keeps_counts_of_its_own(world, team):
    open_case(world.acme, team.worker)
    with workspace_context(world.beta):
        assert not kept_counts()
    with workspace_context(world.acme):
        assert sum(kept_counts().values()) == 1
