"""Which kinds of record a case has, read in one query for a page of cases.

A case page and a child's page read a timeline made of many sources (follow-ups, court
sessions, admissions, vacancy applications...), and most cases have only a few kinds of
record: asked one by one, the empty kinds cost a query each. A source declares the tables it
reads (``reads_case_rows``); ``note_rows_present`` asks the database once, for every case of
the page, which of those tables hold a row of the case; a source none of whose tables has one
is not asked, and ``has_rows`` lets a source with several kinds skip the empty ones.
A case whose presence was never noted is read as before (``has_rows`` answers True).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Model

PRESENCE_ATTRIBUTE = "_rows_present"  # on a case instance: {(table, column): bool}


@dataclass(frozen=True)
class CaseRows:
    """Rows of ``model`` that belong to a case through ``case_column``; for a public table
    that names the case's organisation, ``organisation_column`` keeps the workspace's own."""

    model: type[Model]
    case_column: str = "case_id"
    organisation_column: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.model._meta.db_table, self.case_column)


def case_rows(*reads: type[Model] | CaseRows) -> tuple[CaseRows, ...]:
    return tuple(read if isinstance(read, CaseRows) else CaseRows(read) for read in reads)


def declares_case_rows(*reads: type[Model] | CaseRows) -> Callable:
    """Name what a timeline source reads, so that one query can say what is there; the
    source itself skips the kinds that are not (``has_rows``)."""
    rows = case_rows(*reads)

    def declare(source: Callable) -> Callable:
        source.case_rows = rows
        return source

    return declare


def reads_case_rows(*reads: type[Model] | CaseRows) -> Callable:
    """A timeline source that has nothing to say about a case holding none of these rows:
    it is not called for such a case once their presence was noted."""
    rows = case_rows(*reads)

    def decorate(source: Callable) -> Callable:
        @functools.wraps(source)
        def unless_absent(case):  # noqa: ANN001, ANN202
            if not any(has_rows(case, read) for read in rows):
                return []
            return source(case)

        unless_absent.case_rows = rows
        return unless_absent

    return decorate


def source_reads(sources: Iterable[Callable]) -> tuple[CaseRows, ...]:
    """Everything these sources declared they read (each once)."""
    found: dict[tuple[str, str], CaseRows] = {}
    for source in sources:
        for read in getattr(source, "case_rows", ()):
            found.setdefault(read.key, read)
    return tuple(found.values())


def has_rows(case: Model, read: type[Model] | CaseRows) -> bool:
    """Whether the case may have rows of ``read``: False only when noted absent."""
    read = read if isinstance(read, CaseRows) else CaseRows(read)
    return getattr(case, PRESENCE_ATTRIBUTE, {}).get(read.key, True)


def note_rows_present(cases: Sequence[Model], reads: Iterable[CaseRows]) -> None:
    """Ask once which of ``reads`` hold a row of each case, and note it on the cases (the
    reads already noted on every case are not asked again)."""
    cases = [case for case in cases if case.pk is not None]
    reads = [
        read
        for read in reads
        if any(read.key not in getattr(case, PRESENCE_ATTRIBUTE, {}) for case in cases)
    ]
    if not cases or not reads:
        return
    quote = connection.ops.quote_name
    tests, params = [], []
    for read in reads:
        test = (
            f"EXISTS (SELECT 1 FROM {quote(read.model._meta.db_table)} AS r "  # noqa: S608
            f"WHERE r.{quote(read.case_column)} = c.id"
        )
        if read.organisation_column:
            test += f" AND r.{quote(read.organisation_column)} = %s"
            params.append(connection.tenant.pk)
        tests.append(test + ")")
    sql = f"SELECT c.id, {', '.join(tests)} FROM unnest(%s::bigint[]) AS c(id)"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, [case.pk for case in cases]])
        found = {row[0]: row[1:] for row in cursor.fetchall()}
    for case in cases:
        noted = getattr(case, PRESENCE_ATTRIBUTE, None)
        if noted is None:
            noted = {}
            setattr(case, PRESENCE_ATTRIBUTE, noted)
        for read, present in zip(reads, found[case.pk], strict=True):
            noted[read.key] = present
