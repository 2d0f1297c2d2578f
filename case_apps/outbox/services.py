"""Writing to the organisation's outbox."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import connection, transaction
from django.utils import timezone

from case_apps.outbox.models import OutboxEvent
from case_apps.outbox.schemas import (  # noqa: F401 (FACT_DIMENSION_WIDTHS: re-exported)
    FACT_DIMENSION_WIDTHS,
    RETRACTED,
    payload_validate,
)
from cpims.pseudonyms import PERSON, pseudonym
from tenants.capabilities import declared

SOURCE_WIDTH = 80


def day_of(on: date) -> datetime:
    """The moment an event dated ``on`` is filed under: noon that day, local time."""
    return timezone.make_aware(datetime.combine(on, time(12)))


def outbox_event_record(
    *,
    kind: str,
    payload: dict,
    occurred_at: datetime | None = None,
    on: date | None = None,
    source: str = "",
) -> OutboxEvent:
    """Record an event dated ``on`` (the day what it records happened); call inside the
    transaction of the change it describes. An event with a ``source`` replaces that
    source's earlier fact when drained (a restatement)."""
    if len(source) > SOURCE_WIDTH:
        raise ValueError(f"An outbox source is at most {SOURCE_WIDTH} characters: {source!r}")
    version, payload = payload_validate(kind, payload)  # ValueError naming the fields
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Outbox events must be written inside the change's transaction")
    if on is not None:
        occurred_at = day_of(on)
    return OutboxEvent.objects.create(
        kind=kind,
        version=version,
        payload=payload,
        occurred_at=occurred_at or timezone.now(),
        source=source,
    )


# Sealing: committed events get their place in the stream. One sealer at a time per schema
# (a transaction-level advisory lock), so the positions it hands out are above every position
# already visible; an event still uncommitted is invisible to it and is sealed by a later run,
# after every event it could have been read with.
SEAL_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || ':outbox-seal', 0))"
UNSEALED = "SELECT id FROM outbox_outboxevent WHERE position IS NULL ORDER BY id FOR UPDATE"
RESERVE = "SELECT nextval('outbox_event_position_seq') FROM generate_series(1, %s) ORDER BY 1"
SEAL = """
UPDATE outbox_outboxevent AS e SET position = s.position
FROM unnest(%s::bigint[], %s::bigint[]) AS s(id, position) WHERE e.id = s.id
"""


def outbox_seal() -> int:
    """Give every committed, unsealed event of this schema its stream position, in id order
    (call in the organisation's schema). Returns how many were sealed."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SEAL_LOCK)
        cursor.execute(UNSEALED)
        ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return 0
        cursor.execute(RESERVE, [len(ids)])
        positions = [row[0] for row in cursor.fetchall()]
        cursor.execute(SEAL, [ids, positions])
    return len(ids)


def outbox_retraction_record(*, source: str) -> OutboxEvent:
    """Withdraw the fact of ``source`` (its record was deleted or disposed of)."""
    if not source:
        raise ValueError("Only a fact with a source can be retracted.")
    return outbox_event_record(kind=RETRACTED, payload={}, source=source)


def person_ref(person_id: int | None) -> str:
    """The registry person as facts know them: a keyed hash of the person a merge left
    standing, so a child counts once nationally, and no one can work back to the person."""
    from shared_registry.models import Person

    if person_id is None:
        return ""
    seen: set[int] = set()
    while person_id not in seen:
        seen.add(person_id)
        merged_into = (
            Person.objects.filter(pk=person_id).values_list("merged_into_id", flat=True).first()
        )
        if merged_into is None:
            break
        person_id = merged_into
    return pseudonym(PERSON, str(person_id))


def outbox_sources_under(prefix: str) -> list[str]:
    """Sources written under ``prefix`` whose latest event is not a retraction."""
    latest = (
        OutboxEvent.objects.filter(source__startswith=prefix)
        .order_by("source", "-id")
        .distinct("source")
        .values_list("source", "kind")
    )
    return [source for source, kind in latest if kind != RETRACTED]


def outbox_retract_under(prefix: str) -> int:
    """Withdraw every fact whose source starts with ``prefix`` (a record disposed of)."""
    sources = outbox_sources_under(prefix)
    for source in sources:
        outbox_retraction_record(source=source)
    return len(sources)


# Case apps tell the outbox which of their sources are about which registry persons: a
# function from person ids (``None``: every one) to (source prefix, person id, case reference)
# triples, the case reference being the pseudonym its facts carry; declared as
# ``person_sources`` in each app's capabilities.py (others may be added at run time).
PERSON_SOURCE_FINDERS: list = []


def _person_source_finders() -> list:
    finders = [*declared("person_sources")]
    return finders + [f for f in PERSON_SOURCE_FINDERS if f not in finders]


def register_person_sources(finder) -> None:
    """Add at run time ``finder(person_ids) -> [(source prefix, person id, case ref), ...]``."""
    if finder not in PERSON_SOURCE_FINDERS:
        PERSON_SOURCE_FINDERS.append(finder)


def _restate_references(prefix: str, references: dict[str, str]) -> int:
    """Write again, with ``references``, the latest event of every source under ``prefix``
    that carries others (a retracted source stays retracted). Returns the events written."""
    latest = (
        OutboxEvent.objects.filter(source__startswith=prefix)
        .order_by("source", "-id")
        .distinct("source")
    )
    written = 0
    for event in latest:
        payload = event.payload or {}
        if event.kind == RETRACTED or all(payload.get(k) == v for k, v in references.items()):
            continue
        outbox_event_record(
            kind=event.kind,
            payload={**payload, **references},
            occurred_at=event.occurred_at,
            source=event.source,
        )
        written += 1
    return written


@transaction.atomic
def outbox_persons_restate(*, person_ids: list[int]) -> int:
    """After a merge (or its undoing) of these registry persons: every fact about them is
    written again with the person reference they resolve to now. Returns the facts restated."""
    restated = 0
    for finder in _person_source_finders():
        for prefix, person_id, _case_ref in finder(set(person_ids)):
            restated += _restate_references(prefix, {"person_ref": person_ref(person_id)})
    return restated


@transaction.atomic
def outbox_pseudonyms_restate() -> int:
    """Every fact of this schema's records written again whose person or case reference is
    not the keyed pseudonym it has now (after the pseudonym key changed, or facts written
    before pseudonyms were keyed). Idempotent: a second run writes nothing."""
    restated = 0
    for finder in _person_source_finders():
        for prefix, person_id, case_ref in finder(None):
            restated += _restate_references(
                prefix, {"person_ref": person_ref(person_id), "case_ref": case_ref}
            )
    return restated
