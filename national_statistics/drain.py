"""Draining organisations' outboxes into facts: the one cross-schema writer besides the gateway.

Exactly once: events are read ``FOR UPDATE SKIP LOCKED``, turned into facts with
``ON CONFLICT DO NOTHING`` and marked drained, all in one transaction on one
connection (public and tenant schemas live in one database). A crash rolls all
of it back; a second run finds nothing left; an event committed late is simply
drained by the next run, wherever its id falls.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from case_apps.outbox.models import OutboxEvent
from tenants.models import Organisation, OrganisationStatus
from tenants.schema import workspace_context

BATCH_SIZE = 5000
DIMENSIONS = (
    "programme",
    "category",
    "sex",
    "age_band",
    "county",
    "sub_county",
    "ward",
    "case_ref",
)


def organisations_to_drain() -> list[Organisation]:
    """Active organisations whose data counts nationally (training workspaces never do)."""
    return list(
        Organisation.objects.filter(status=OrganisationStatus.ACTIVE, training=False).order_by("pk")
    )


# Insert the facts that are new and add exactly those to the monthly counts, in one statement.
INSERT_FACTS_AND_COUNT = """
WITH inserted AS (
    INSERT INTO public.national_statistics_fact (
        organisation_id, drained_at, outbox_event_id, occurred_on, event_kind, programme,
        category, sex, age_band, county, sub_county, ward, case_ref)
    SELECT %s, now(), * FROM unnest(
        %s::bigint[], %s::date[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[],
        %s::text[], %s::text[], %s::text[], %s::text[])
    ON CONFLICT (organisation_id, outbox_event_id) DO NOTHING
    RETURNING organisation_id, occurred_on, event_kind, programme, category, sex, age_band,
              county, sub_county
)
INSERT INTO public.national_statistics_monthlycount
    (month, organisation_id, event_kind, programme, category, sex, age_band, county,
     sub_county, n)
SELECT date_trunc('month', occurred_on)::date, organisation_id, event_kind, programme,
       category, sex, age_band, county, sub_county, count(*)
FROM inserted
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
ON CONFLICT (month, organisation_id, event_kind, programme, category, sex, age_band, county,
             sub_county)
DO UPDATE SET n = national_statistics_monthlycount.n + EXCLUDED.n
"""


def _columns(events: list[OutboxEvent]) -> list[list]:
    """The events as column arrays (de-identified dimensions only)."""
    rows = []
    for event in events:
        payload = event.payload or {}
        occurred = timezone.localtime(event.occurred_at).date()
        rows.append(
            [
                event.pk,
                occurred,
                event.kind,
                *(str(payload.get(name, ""))[:40] for name in DIMENSIONS),
            ]
        )
    return [list(column) for column in zip(*rows, strict=True)]


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
                with connection.cursor() as cursor:
                    cursor.execute(INSERT_FACTS_AND_COUNT, [organisation.pk, *_columns(events)])
                OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).update(
                    drained_at=timezone.now()
                )
                drained += len(events)
            if len(events) < batch_size:
                break
    return drained
