"""Draining organisations' outboxes into facts: the one cross-schema writer besides the gateway.

Exactly once: events are read ``FOR UPDATE SKIP LOCKED``, turned into facts with
``ON CONFLICT DO NOTHING`` and marked drained, all in one transaction on one
connection (public and tenant schemas live in one database). A crash rolls all
of it back; a second run finds nothing left; an event committed late is simply
drained by the next run, wherever its id falls.

Restatement: an event with a ``source`` replaces the fact of that source (its record was
corrected: retract and re-add, monthly counts moved with it); a ``retracted`` event removes
it. ``FactSource`` keeps the latest event applied per source, so an older event drained
again, or late, changes nothing.

Every event is read through its type's schema (``case_apps/outbox/schemas.py``): a kind or
version the schema module does not know stops the drain with ``UnknownEvent`` (the batch
rolls back and stays waiting), never a silently dropped figure.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from case_apps.outbox.models import OutboxEvent
from case_apps.outbox.schemas import RETRACTED, payload_read
from national_statistics.rollups import mer_rollup_refresh
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
    "person_ref",
)


def organisations_to_drain() -> list[Organisation]:
    """Active organisations whose data counts nationally (training workspaces never do)."""
    return list(
        Organisation.objects.filter(status=OrganisationStatus.ACTIVE, training=False).order_by("pk")
    )


# ChildMonth's key of a person: a 64-bit hash of its (already hashed) reference.
PERSON_KEY = "hashtextextended(person_ref, 0)"

# Insert the facts that are new and add exactly those to the monthly counts, in one statement.
INSERT_FACTS_AND_COUNT = """
WITH inserted AS (
    INSERT INTO public.national_statistics_fact (
        organisation_id, drained_at, outbox_event_id, occurred_on, event_kind, source, programme,
        category, sex, age_band, county, sub_county, ward, case_ref, person_ref)
    SELECT %s, now(), * FROM unnest(
        %s::bigint[], %s::date[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[],
        %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
    ON CONFLICT (organisation_id, outbox_event_id) DO NOTHING
    RETURNING organisation_id, occurred_on, event_kind, programme, category, sex, age_band,
              county, sub_county, case_ref, person_ref
), counted AS (
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
), children AS (
    INSERT INTO public.national_statistics_childmonth
        (month, person_key, organisation_id, county, sub_county, n)
    SELECT date_trunc('month', occurred_on)::date, {PERSON_KEY}, organisation_id, county,
           sub_county, count(*)
    FROM inserted WHERE person_ref <> '' AND event_kind = 'case_opened'
    GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (month, person_key, organisation_id, county, sub_county)
    DO UPDATE SET n = national_statistics_childmonth.n + EXCLUDED.n
)
SELECT DISTINCT case_ref FROM inserted WHERE event_kind LIKE 'ovc%%'
""".replace("{PERSON_KEY}", PERSON_KEY)

# Move the sources' marks forward; the sources returned are those this batch restates.
ADVANCE_SOURCES = """
INSERT INTO public.national_statistics_factsource (organisation_id, source, event_id)
SELECT %s, * FROM unnest(%s::text[], %s::bigint[])
ON CONFLICT (organisation_id, source) DO UPDATE SET event_id = EXCLUDED.event_id
WHERE national_statistics_factsource.event_id < EXCLUDED.event_id
RETURNING source
"""

# Remove the facts of the restated sources and take them off the monthly counts.
RETRACT_FACTS = """
WITH removed AS (
    DELETE FROM public.national_statistics_fact
    WHERE organisation_id = %s AND source = ANY(%s::text[]) AND source <> ''
    RETURNING organisation_id, occurred_on, event_kind, programme, category, sex, age_band,
              county, sub_county, case_ref, person_ref
), uncounted AS (
    UPDATE public.national_statistics_monthlycount AS m SET n = m.n - r.n
    FROM (SELECT date_trunc('month', occurred_on)::date AS month, organisation_id, event_kind,
                 programme, category, sex, age_band, county, sub_county, count(*) AS n
          FROM removed GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9) AS r
    WHERE m.month = r.month AND m.organisation_id = r.organisation_id
      AND m.event_kind = r.event_kind AND m.programme = r.programme
      AND m.category = r.category AND m.sex = r.sex AND m.age_band = r.age_band
      AND m.county = r.county AND m.sub_county = r.sub_county
), children AS (
    UPDATE public.national_statistics_childmonth AS c SET n = c.n - r.n
    FROM (SELECT date_trunc('month', occurred_on)::date AS month,
                 {PERSON_KEY} AS person_key, organisation_id, county, sub_county,
                 count(*) AS n
          FROM removed WHERE person_ref <> '' AND event_kind = 'case_opened'
          GROUP BY 1, 2, 3, 4, 5) AS r
    WHERE c.month = r.month AND c.person_key = r.person_key
      AND c.organisation_id = r.organisation_id AND c.county = r.county
      AND c.sub_county = r.sub_county
)
SELECT DISTINCT case_ref FROM removed WHERE event_kind LIKE 'ovc%%'
""".replace("{PERSON_KEY}", PERSON_KEY)


def _columns(events: list[OutboxEvent]) -> list[list]:
    """The events as column arrays (de-identified dimensions only)."""
    rows = []
    for event in events:
        payload = event.read_payload.model_dump()
        occurred = timezone.localtime(event.occurred_at).date()
        rows.append(
            [
                event.pk,
                occurred,
                event.kind,
                event.source,
                *(str(payload.get(name, ""))[:40] for name in DIMENSIONS),
            ]
        )
    return [list(column) for column in zip(*rows, strict=True)]


def _apply(cursor, organisation_id: int, events: list[OutboxEvent]) -> set[str]:
    """Facts from a batch of events; returns the OVC beneficiaries (``case_ref``) touched."""
    for event in events:  # an unknown kind or version refuses the whole batch, loudly
        event.read_payload = payload_read(event.kind, event.version, event.payload)
    plain = [e for e in events if not e.source]
    latest: dict[str, OutboxEvent] = {}
    for event in events:  # in id order: a source's last event in the batch wins
        if event.source:
            latest[event.source] = event
    touched: set[str] = set()
    if latest:
        cursor.execute(
            ADVANCE_SOURCES,
            [organisation_id, list(latest), [e.pk for e in latest.values()]],
        )
        restated = [row[0] for row in cursor.fetchall()]
        if restated:
            cursor.execute(RETRACT_FACTS, [organisation_id, restated])
            touched.update(row[0] for row in cursor.fetchall())
            plain += [latest[s] for s in restated if latest[s].kind != RETRACTED]
    if plain:
        cursor.execute(INSERT_FACTS_AND_COUNT, [organisation_id, *_columns(plain)])
        touched.update(row[0] for row in cursor.fetchall())
    return touched


def on_facts_changed(cursor, organisation_id: int, case_refs: set[str]) -> None:
    """Keep the rollups read by tiles in step (see national_statistics/rollups.py)."""
    mer_rollup_refresh(cursor, organisation_id, case_refs)


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
                    touched = _apply(cursor, organisation.pk, events)
                    on_facts_changed(cursor, organisation.pk, touched)
                OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).update(
                    drained_at=timezone.now()
                )
                drained += len(events)
            if len(events) < batch_size:
                break
    return drained
