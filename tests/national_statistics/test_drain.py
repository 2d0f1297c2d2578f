"""Draining outboxes into de-identified facts: exactly once, late events included,
training workspaces left out."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from case_apps.outbox.models import OutboxEvent
from case_apps.outbox.services import outbox_event_record
from national_statistics.drain import drain_organisation, organisations_to_drain
from national_statistics.models import Fact
from national_statistics.tasks import drain_all_task
from tenants.schema import workspace_context

pytestmark = pytest.mark.django_db


def record(organisation, n: int = 1, **payload) -> None:
    payload = {"category": "CSIC", "sex": "SFEM", "age_band": "6-10", "county": "042", **payload}
    with workspace_context(organisation), transaction.atomic():
        for _ in range(n):
            outbox_event_record(kind="case_opened", payload=payload)


def test_events_become_facts_once_however_often_the_drain_runs(world):
    record(world.acme, 3)
    assert drain_organisation(world.acme) == 3
    assert drain_organisation(world.acme) == 0
    facts = Fact.objects.filter(organisation=world.acme)
    assert facts.count() == 3
    fact = facts.first()
    assert (fact.category, fact.sex, fact.age_band, fact.county, fact.event_kind) == (
        "CSIC",
        "SFEM",
        "6-10",
        "042",
        "case_opened",
    )


def test_a_crash_between_facts_and_marking_counts_nothing_twice(world):
    record(world.acme, 2)
    drain_organisation(world.acme)
    with workspace_context(world.acme):  # as if the drained mark had been lost
        OutboxEvent.objects.update(drained_at=None)
    drain_organisation(world.acme)
    assert Fact.objects.filter(organisation=world.acme).count() == 2


def test_late_event_with_a_lower_id_is_still_drained(world):
    record(world.acme, 2)
    with workspace_context(world.acme):
        first_id = OutboxEvent.objects.order_by("id").first().pk
        OutboxEvent.objects.filter(pk=first_id).update(drained_at=None)
        OutboxEvent.objects.exclude(pk=first_id).delete()
    record(world.acme, 1)
    drain_organisation(world.acme)  # drains the two open events
    with workspace_context(world.acme):  # an event committed late, in the past, with a low id
        OutboxEvent.objects.create(
            id=first_id - 1 if first_id > 1 else 10_000_000,
            kind="follow_up",
            occurred_at=timezone.now() - timedelta(days=40),
            payload={"category": "HVIS"},
        )
    assert drain_organisation(world.acme) == 1
    late = Fact.objects.get(organisation=world.acme, event_kind="follow_up")
    assert late.occurred_on == timezone.localdate() - timedelta(days=40)


def test_training_workspaces_never_reach_national_figures(world):
    record(world.beta, 2)
    world.beta.training = True
    world.beta.save()
    try:
        assert drain_organisation(world.beta) == 0
        assert world.beta not in organisations_to_drain()
        assert drain_all_task.delay().get() == len(organisations_to_drain())
        assert not Fact.objects.filter(organisation=world.beta).exists()
    finally:
        world.beta.training = False


def test_fan_out_drains_every_organisation(world):
    record(world.acme, 2)
    record(world.beta, 1)
    drain_all_task.delay().get()
    assert Fact.objects.filter(organisation=world.acme).count() == 2
    assert Fact.objects.filter(organisation=world.beta).count() == 1


def test_facts_carry_no_free_text(world):
    with pytest.raises(ValueError), workspace_context(world.acme), transaction.atomic():
        outbox_event_record(kind="case_opened", payload={"child_name": "Akinyi"})


def test_a_value_wider_than_its_fact_column_is_refused_when_written(world):
    """Written, it would stop the organisation's drain on every run (PostgreSQL refuses the
    insert); refused, the change that emitted it fails loudly instead."""
    with workspace_context(world.acme):
        with pytest.raises(ValueError, match="category"), transaction.atomic():
            outbox_event_record(kind="ovc_hiv_status", payload={"category": "x" * 17})
        assert not OutboxEvent.objects.filter(kind="ovc_hiv_status").exists()


def test_the_outbox_knows_the_fact_columns_widths():
    from case_apps.outbox.services import FACT_DIMENSION_WIDTHS

    assert {
        name: Fact._meta.get_field(name).max_length for name in FACT_DIMENSION_WIDTHS
    } == FACT_DIMENSION_WIDTHS


def test_monthly_counts_follow_the_facts_exactly(world):
    from national_statistics.models import MonthlyCount

    record(world.acme, 3, category="CSIC")
    record(world.acme, 2, category="CCDF")
    drain_organisation(world.acme)
    with workspace_context(world.acme):  # a lost mark must not double the counts
        OutboxEvent.objects.update(drained_at=None)
    drain_organisation(world.acme)
    counts = dict(MonthlyCount.objects.filter(organisation=world.acme).values_list("category", "n"))
    assert counts == {"CSIC": 3, "CCDF": 2}


def _sourced(organisation, source: str, on, kind: str = "follow_up", **payload) -> None:
    from case_apps.outbox.services import outbox_event_record

    payload = {"category": "HVIS", "sex": "SFEM", "county": "042", **payload}
    with workspace_context(organisation), transaction.atomic():
        outbox_event_record(kind=kind, payload=payload, on=on, source=source)


def _cells(organisation) -> dict:
    from national_statistics.models import MonthlyCount

    rows = MonthlyCount.objects.filter(organisation=organisation, n__gt=0)
    return {(c.month, c.event_kind, c.category): c.n for c in rows}


def test_a_restated_source_moves_its_fact_and_its_count(world):
    from datetime import date

    _sourced(world.acme, "case:1:followup:1", date(2026, 2, 10))
    _sourced(world.acme, "case:1:followup:2", date(2026, 2, 11))
    drain_organisation(world.acme)
    assert _cells(world.acme) == {(date(2026, 2, 1), "follow_up", "HVIS"): 2}
    _sourced(world.acme, "case:1:followup:1", date(2026, 3, 5), category="HVST")  # corrected
    assert drain_organisation(world.acme) == 1
    facts = Fact.objects.filter(organisation=world.acme, source="case:1:followup:1")
    assert [(f.occurred_on, f.category) for f in facts] == [(date(2026, 3, 5), "HVST")]
    assert _cells(world.acme) == {
        (date(2026, 2, 1), "follow_up", "HVIS"): 1,
        (date(2026, 3, 1), "follow_up", "HVST"): 1,
    }


def test_a_retraction_removes_the_fact_and_its_count(world):
    from datetime import date

    from case_apps.outbox.services import outbox_retraction_record

    _sourced(world.acme, "case:2:opened", date(2026, 1, 3), kind="case_opened")
    drain_organisation(world.acme)
    with workspace_context(world.acme), transaction.atomic():
        outbox_retraction_record(source="case:2:opened")
    drain_organisation(world.acme)
    assert not Fact.objects.filter(organisation=world.acme, source="case:2:opened").exists()
    assert _cells(world.acme) == {}


def test_restatement_is_idempotent_whatever_order_events_are_drained_again(world):
    from datetime import date

    _sourced(world.acme, "case:3:opened", date(2026, 1, 3), kind="case_opened")
    _sourced(world.acme, "case:3:opened", date(2026, 2, 3), kind="case_opened")  # same batch
    drain_organisation(world.acme)
    assert _cells(world.acme) == {(date(2026, 2, 1), "case_opened", "HVIS"): 1}
    _sourced(world.acme, "case:3:opened", date(2026, 4, 3), kind="case_opened")
    drain_organisation(world.acme)
    with workspace_context(world.acme):  # every mark lost: all three events drained again
        OutboxEvent.objects.update(drained_at=None)
    drain_organisation(world.acme)
    with workspace_context(world.acme):  # and only the oldest one, alone
        oldest = OutboxEvent.objects.filter(source="case:3:opened").order_by("id").first()
        OutboxEvent.objects.filter(pk=oldest.pk).update(drained_at=None)
    drain_organisation(world.acme)
    assert _cells(world.acme) == {(date(2026, 4, 1), "case_opened", "HVIS"): 1}
    assert Fact.objects.filter(organisation=world.acme, source="case:3:opened").count() == 1


def test_one_run_drains_a_backlog_longer_than_an_api_page(world):
    """The drain reads the stream in batches of its own size, not the API's page ceiling:
    a backlog of more than one API page (and more than one batch) is drained in one run."""
    from case_apps.outbox.selectors import MAX_LIMIT

    backlog = MAX_LIMIT + 250
    record(world.acme, backlog)
    assert drain_organisation(world.acme, batch_size=MAX_LIMIT + 100) == backlog
    assert Fact.objects.filter(organisation=world.acme).count() == backlog
