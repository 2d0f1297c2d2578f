"""Draining organisations' outboxes into facts: the one cross-schema writer besides the gateway.

Exactly once: the drain reads the organisation's event stream (``events_since``, in commit
order) from its cursor (``DrainCursor``, locked for the batch), turns the events into facts
with ``ON CONFLICT DO NOTHING``, marks them drained and moves the cursor, all in one
transaction on one connection (public and tenant schemas live in one database). A crash rolls
all of it back; a second run finds nothing left; an event committed late is sealed after the
events already read and so drained by the next run, wherever its id falls.

Restatement: an event with a ``source`` replaces the fact of that source (its record was
corrected: retract and re-add, monthly counts moved with it); a ``retracted`` event removes
it. ``FactSource`` keeps the latest event applied per source, so an older event drained
again, or late, changes nothing.

Every event is read through its type's schema (``case_apps/outbox/schemas.py``): a kind or
version the schema module does not know stops the drain with ``UnknownEvent`` (the batch
rolls back and stays waiting), never a silently dropped figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from case_apps.outbox.models import OutboxEvent
from case_apps.outbox.schemas import RETRACTED
from case_apps.outbox.selectors import StreamEvent, cursor_encode, events_since
from case_apps.outbox.services import outbox_seal
from national_statistics.children import child_areas_refresh
from national_statistics.county_counts import county_counts_changed
from national_statistics.models import DrainCursor
from national_statistics.rollups import (
    MOVED_ON_KINDS,
    case_progress_refresh,
    mer_rollup_refresh,
    population_changed,
)
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
# The facts whose case has its CaseProgress rows rebuilt (the pending tile).
CASE_KINDS = "(" + ", ".join(f"'{kind}'" for kind in ("case_opened", *MOVED_ON_KINDS)) + ")"

# What a batch's inserted or removed facts touched (the statement's result): OVC cases,
# children (by person key; with the county and month number of an inserted case opening,
# which the children's rollup takes as it is) and cases, whose rollups the drain then keeps.
TOUCHED = """SELECT DISTINCT case_ref, NULL::bigint, false, NULL::text, NULL::integer FROM {rows}
WHERE event_kind LIKE 'ovc%%'
UNION ALL
SELECT DISTINCT NULL, {{PERSON_KEY}}, false, {place} FROM {rows}
WHERE person_ref <> '' AND event_kind = 'case_opened'
UNION ALL
SELECT DISTINCT case_ref, NULL::bigint, true, NULL::text, NULL::integer FROM {rows}
WHERE case_ref <> '' AND event_kind IN {{CASE_KINDS}}"""
MONTH_NUMBER = (
    "(extract(year FROM occurred_on) * 12 + extract(month FROM occurred_on) - 1)::integer"
)

# Insert the facts that are new and add exactly those to the monthly counts, in one statement;
# returns the OVC beneficiaries (case_ref, NULL, false), the children (NULL, person key,
# false, county, month number) and the cases (case_ref, NULL, true) touched.
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
){COUNTY}{POPULATION}
{TOUCHED}
"""
INSERT_FACTS_AND_COUNT = (
    INSERT_FACTS_AND_COUNT.replace(
        "{TOUCHED}", TOUCHED.format(rows="inserted", place=f"county, {MONTH_NUMBER}")
    )
    .replace("{COUNTY}", county_counts_changed("inserted"))
    .replace("{PERSON_KEY}", PERSON_KEY)
    .replace("{CASE_KINDS}", CASE_KINDS)
    .replace("{POPULATION}", population_changed("inserted", 1))
)

# Move the sources' marks forward; the sources returned are those this batch restates, whose
# mark it moved (a row the upsert updated has a non-zero xmax; a source it marked for the
# first time has no fact yet: nothing to retract, so no lookup of its facts).
ADVANCE_SOURCES = """
WITH advanced AS (
    INSERT INTO public.national_statistics_factsource (organisation_id, source, event_id)
    SELECT %s, * FROM unnest(%s::text[], %s::bigint[])
    ON CONFLICT (organisation_id, source) DO UPDATE SET event_id = EXCLUDED.event_id
    WHERE national_statistics_factsource.event_id < EXCLUDED.event_id
    RETURNING source, xmax <> 0 AS moved
)
SELECT source, moved FROM advanced
"""
# The batch's events marked drained already (passed over), and marking the others: with
# arrays, as a list of 5,000 parameters costs more to send and plan than the lookup itself.
DRAINED_ALREADY = (
    f"SELECT id FROM {OutboxEvent._meta.db_table} "  # noqa: S608 (a model's table)
    "WHERE id = ANY(%s::bigint[]) AND drained_at IS NOT NULL"
)
MARK_DRAINED = (
    f"UPDATE {OutboxEvent._meta.db_table} SET drained_at = %s "  # noqa: S608 (a model's table)
    "WHERE id = ANY(%s::bigint[])"
)

# Remove the facts of the restated sources and take them off the monthly counts (returning
# what the insert does).
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
){COUNTY}{POPULATION}
{TOUCHED}
"""
RETRACT_FACTS = (
    RETRACT_FACTS.replace(
        "{TOUCHED}", TOUCHED.format(rows="removed", place="NULL::text, NULL::integer")
    )
    .replace("{COUNTY}", county_counts_changed("removed"))
    .replace("{PERSON_KEY}", PERSON_KEY)
    .replace("{CASE_KINDS}", CASE_KINDS)
    .replace("{POPULATION}", population_changed("removed", -1))
)


def _columns(events: list[StreamEvent]) -> list[list]:
    """The events as column arrays (de-identified dimensions only)."""
    rows = []
    for event in events:
        payload = event.payload
        occurred = timezone.localtime(event.occurred_at).date()
        rows.append(
            [
                event.id,
                occurred,
                event.type,
                event.source,
                *(str(payload.get(name, ""))[:40] for name in DIMENSIONS),
            ]
        )
    return [list(column) for column in zip(*rows, strict=True)]


@dataclass
class Touched:
    """What a batch's facts touched: OVC beneficiaries and cases (``case_ref``), children
    (``ChildMonth.person_key``) whose rows are rebuilt (a fact of theirs removed), and the
    (person key, county, month number) of the case openings inserted."""

    beneficiaries: set[str] = field(default_factory=set)
    children: set[int] = field(default_factory=set)
    opened: set[tuple[int, str, int]] = field(default_factory=set)
    cases: set[str] = field(default_factory=set)

    def add(self, rows: list[tuple]) -> None:
        for case_ref, person_key, is_case, county, month in rows:
            if is_case:
                self.cases.add(case_ref)
            elif person_key is None:
                self.beneficiaries.add(case_ref)
            elif month is None:
                self.children.add(person_key)
            else:
                self.opened.add((person_key, county, month))


def _apply(cursor, organisation_id: int, events: list[StreamEvent]) -> Touched:
    """Facts from a batch of events; returns what they touched."""
    plain = [e for e in events if not e.source]
    latest: dict[str, StreamEvent] = {}
    for event in events:  # in stream order: a source's last event in the batch wins
        if event.source:
            latest[event.source] = event
    touched = Touched()
    if latest:
        cursor.execute(
            ADVANCE_SOURCES,
            [organisation_id, list(latest), [e.id for e in latest.values()]],
        )
        advanced = cursor.fetchall()
        restated = [source for source, moved in advanced if moved]
        if restated:
            cursor.execute(RETRACT_FACTS, [organisation_id, restated])
            touched.add(cursor.fetchall())
        plain += [latest[s] for s, _ in advanced if latest[s].type != RETRACTED]
    if plain:
        cursor.execute(INSERT_FACTS_AND_COUNT, [organisation_id, *_columns(plain)])
        touched.add(cursor.fetchall())
    return touched


def on_facts_changed(cursor, organisation_id: int, touched: Touched) -> None:
    """Keep the rollups read by tiles in step (see national_statistics/rollups.py); the
    children last, as their lock is held until the batch commits."""
    mer_rollup_refresh(cursor, organisation_id, touched.beneficiaries)
    case_progress_refresh(cursor, organisation_id, touched.cases)
    child_areas_refresh(cursor, touched.opened, touched.children)


def _first_cursor(organisation: Organisation) -> str:
    """Where the drain starts on an organisation it never read by cursor: before its first
    event still waiting (events drained by marks before the stream existed are not re-read)."""
    with workspace_context(organisation):
        waiting = OutboxEvent.objects.filter(drained_at__isnull=True, position__isnull=False)
        first = waiting.aggregate(first=Min("position"))["first"]
        if first is None:
            first = (OutboxEvent.objects.aggregate(last=Max("position"))["last"] or 0) + 1
    return cursor_encode(organisation, first - 1)


def _cursor_locked(organisation: Organisation) -> DrainCursor:
    """The organisation's drain cursor, locked until the batch commits (one drain at a time)."""
    mark = DrainCursor.objects.select_for_update().filter(organisation=organisation).first()
    if mark is None:
        DrainCursor.objects.bulk_create(
            [DrainCursor(organisation=organisation, cursor=_first_cursor(organisation))],
            ignore_conflicts=True,
        )
        mark = DrainCursor.objects.select_for_update().get(organisation=organisation)
    return mark


def drain_organisation(organisation: Organisation, *, batch_size: int = BATCH_SIZE) -> int:
    """Drain one organisation's event stream from its cursor; returns how many events became
    facts (an event already marked drained is passed over)."""
    if organisation.training or organisation.status != OrganisationStatus.ACTIVE:
        return 0
    with workspace_context(organisation):
        outbox_seal()  # its own short transaction: readers elsewhere are not held up
    drained = 0
    while True:
        with transaction.atomic():
            mark = _cursor_locked(organisation)
            with workspace_context(organisation):
                events, cursor_after = events_since(
                    organisation, mark.cursor, batch_size, seal=False
                )
                if not events:
                    break
                with connection.cursor() as cursor:
                    cursor.execute(DRAINED_ALREADY, [[e.id for e in events]])
                    done = {row[0] for row in cursor.fetchall()}
                    pending = [e for e in events if e.id not in done]
                    if pending:
                        touched = _apply(cursor, organisation.pk, pending)
                        on_facts_changed(cursor, organisation.pk, touched)
                        cursor.execute(MARK_DRAINED, [timezone.now(), [e.id for e in pending]])
            mark.cursor = cursor_after
            mark.save(update_fields=["cursor", "updated_at"])
            drained += len(pending)
        if len(events) < batch_size:
            break
    return drained
