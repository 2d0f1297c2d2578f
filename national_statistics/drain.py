"""Draining organisations' outboxes into facts: the one cross-schema writer besides the gateway.

Exactly once: events are read ``FOR UPDATE SKIP LOCKED``, turned into facts with
``ON CONFLICT DO NOTHING`` and marked drained, all in one transaction on one
connection (public and tenant schemas live in one database). A crash rolls all
of it back; a second run finds nothing left; an event committed late is simply
drained by the next run, wherever its id falls.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from case_apps.outbox.models import OutboxEvent
from national_statistics.models import Fact
from tenants.models import Organisation, OrganisationStatus
from tenants.schema import workspace_context

BATCH_SIZE = 5000
DIMENSIONS = ("programme", "category", "sex", "age_band", "county", "sub_county", "ward",
              "case_ref")  # fmt: skip


def organisations_to_drain() -> list[Organisation]:
    """Active organisations whose data counts nationally (training workspaces never do)."""
    return list(
        Organisation.objects.filter(status=OrganisationStatus.ACTIVE, training=False).order_by("pk")
    )


def _fact(organisation: Organisation, event: OutboxEvent) -> Fact:
    payload = event.payload or {}
    occurred: datetime = event.occurred_at
    return Fact(
        organisation_id=organisation.pk,
        outbox_event_id=event.pk,
        occurred_on=timezone.localtime(occurred).date(),
        event_kind=event.kind,
        **{name: str(payload.get(name, ""))[:40] for name in DIMENSIONS},
    )


def drain_organisation(organisation: Organisation, *, batch_size: int = BATCH_SIZE) -> int:
    """Drain one organisation's outbox; returns how many events became facts."""
    if organisation.training or organisation.status != OrganisationStatus.ACTIVE:
        return 0
    drained = 0
    with workspace_context(organisation):
        while True:
            with transaction.atomic():
                events = list(
                    OutboxEvent.objects.select_for_update(skip_locked=True)
                    .filter(drained_at__isnull=True)
                    .order_by("id")[:batch_size]
                )
                if not events:
                    break
                Fact.objects.bulk_create(
                    [_fact(organisation, e) for e in events], ignore_conflicts=True
                )
                OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).update(
                    drained_at=timezone.now()
                )
                drained += len(events)
            if len(events) < batch_size:
                break
    return drained
