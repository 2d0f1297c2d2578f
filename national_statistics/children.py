"""The children tile's rollups, kept by the drain: each child with a case opened in a period
counted once, nationally or in a county.

The drain keeps ``ChildMonth`` (children by month, organisation and area, with the number of
their ``case_opened`` facts) by adding and subtracting. From it:

- ``ChildArea``: one row per child, area (``""`` the nation, or a county) and span of 64
  months, with a bit mask of the span's months in which a case was opened for the child
  there. Spans start every ``CHILD_SPAN`` months, so any period of up to 33 months lies in
  one span.
- ``ChildAreaCount``: the ``ChildArea`` rows counted by area, span and mask. The children
  of a period are the sum of the counts whose mask meets the period's: a few hundred cells
  (children share masks: most have a case in one or two months), not a row per child.

A fact a batch **inserts** only sets bits: the child's rows take them with an upsert
(``months | EXCLUDED.months``, commutative, nothing read from ``ChildMonth``). A fact a batch
**removes** (restated or retracted) may clear a month, which stays set while another fact
(of any organisation) keeps it: those children's rows are rebuilt from their ``ChildMonth``
rows still counting (``n > 0``). Either way each changed row moves one child from its old
mask's count to its new one, in the same statement, so ``ChildAreaCount`` is always the count
of ``ChildArea``'s rows (a cell whose children all left keeps ``n = 0``).

Both run under one advisory lock taken for the rest of the drain's transaction: two
organisations' drains touching the same child never write its rows from snapshots that miss
each other's months, and the old mask an upsert reads is the one it replaces.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction

CHILD_SPAN = 32  # months between span starts; a span holds 64 months (a bigint mask)
CHILD_AREAS_LOCK = "national_statistics.child_areas"
AREA = "public.national_statistics_childarea"
COUNT = "public.national_statistics_childareacount"

# A child's (area, span, bit) for each month it had a case opened in a county (``{months}``:
# a relation of person_key, county and month number ``m``).
_BITS = f"""
SELECT a.area, s.span, c.person_key, bit_or(1::bigint << (c.m - {CHILD_SPAN} * s.span)) AS months
FROM {{months}} AS c
CROSS JOIN LATERAL (VALUES (''), (c.county)) AS a(area)
CROSS JOIN LATERAL (VALUES (c.m / {CHILD_SPAN}), (c.m / {CHILD_SPAN} - 1)) AS s(span)
GROUP BY a.area, s.span, c.person_key
"""  # noqa: S608 (constants only)
# The months of the children ``ChildMonth`` holds (``{where}``: which of them).
_CHILD_MONTHS = """(SELECT person_key, county,
       (extract(year FROM month) * 12 + extract(month FROM month) - 1)::integer AS m
FROM public.national_statistics_childmonth WHERE n > 0 {where})"""
# The months of the facts a batch inserted (person keys, counties and month numbers).
_OPENED = """(SELECT * FROM unnest(%s::bigint[], %s::text[], %s::integer[])
    AS u(person_key, county, m))"""
# Add the changes of ``delta`` (area, span, months, n: +1 a row now has that mask, -1 a row
# had it) to the counts.
_COUNTED = f"""
INSERT INTO {COUNT} AS c (area, span, months, n)
SELECT area, span, months, sum(n) FROM delta GROUP BY area, span, months HAVING sum(n) <> 0
ON CONFLICT (area, span, months) DO UPDATE SET n = c.n + EXCLUDED.n
"""  # noqa: S608 (constants only)

# The new facts' bits set on their children's rows, and the counts moved with each row that
# changed.
CHILD_BITS_SET = f"""
WITH bits AS ({_BITS.format(months=_OPENED)}),
before AS (
    SELECT t.area, t.span, t.person_key, t.months FROM {AREA} AS t
    JOIN bits AS b ON (b.person_key, b.area, b.span) = (t.person_key, t.area, t.span)
), after AS (
    INSERT INTO {AREA} AS t (area, span, person_key, months)
    SELECT area, span, person_key, months FROM bits
    ON CONFLICT (person_key, area, span) DO UPDATE SET months = t.months | EXCLUDED.months
    WHERE t.months | EXCLUDED.months <> t.months
    RETURNING t.area, t.span, t.person_key, t.months
), delta AS (
    SELECT area, span, months, 1 AS n FROM after
    UNION ALL
    SELECT b.area, b.span, b.months, -1 FROM before AS b
    JOIN after AS a ON (a.person_key, a.area, a.span) = (b.person_key, b.area, b.span)
){_COUNTED}"""  # noqa: S608 (constants only)

# Rebuilding children's rows: first their rows go (and leave their counts), ...
CHILD_ROWS_REMOVE = f"""
WITH delta AS (
    DELETE FROM {AREA} WHERE person_key = ANY(%s::bigint[]) RETURNING area, span, months, -1 AS n
){_COUNTED}"""  # noqa: S608 (constants only)
# ... then their rows from ``ChildMonth`` come back (``{where}``: which children), counted.
CHILD_ROWS_MAKE = f"""
WITH delta AS (
    INSERT INTO {AREA} (area, span, person_key, months)
    {_BITS.format(months=_CHILD_MONTHS)}
    RETURNING area, span, months, 1 AS n
){_COUNTED}"""  # noqa: S608 (constants only)


def month_number(day: date) -> int:
    """A month as ChildArea counts them: ``year * 12 + month - 1``."""
    return day.year * 12 + day.month - 1


def child_period_mask(first: int, last: int) -> tuple[int, int] | None:
    """The span holding months ``first`` to ``last`` (month numbers) and the mask of those
    months in it (a signed 64-bit integer, as PostgreSQL's bigint); None when the period is
    longer than 33 months (no span holds it)."""
    span = first // CHILD_SPAN
    low, high = first - CHILD_SPAN * span, last - CHILD_SPAN * span
    if high > 63:
        return None
    mask = ((1 << (high + 1)) - 1) ^ ((1 << low) - 1)
    return span, mask - (1 << 64) if mask >= 1 << 63 else mask


def _lock(cursor) -> None:
    cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [CHILD_AREAS_LOCK])


def child_areas_refresh(
    cursor, opened: Iterable[tuple[int, str, int]], rebuilt: Iterable[int]
) -> None:
    """Keep ChildArea and ChildAreaCount in step with a batch (in the drain's transaction,
    after its ChildMonth changes): ``opened`` are the (person key, county, month number) of
    the facts it inserted, ``rebuilt`` the children of the facts it removed, whose rows are
    rebuilt from ChildMonth (which also holds that batch's new facts)."""
    again = sorted(set(rebuilt))
    rebuilding = set(again)
    new = sorted({row for row in opened if row[0] not in rebuilding})
    if not new and not again:
        return
    _lock(cursor)
    if new:
        cursor.execute(CHILD_BITS_SET, [list(column) for column in zip(*new, strict=True)])
    if again:
        cursor.execute(CHILD_ROWS_REMOVE, [again])
        cursor.execute(CHILD_ROWS_MAKE.format(where="AND person_key = ANY(%s::bigint[])"), [again])


def child_area_rows_rebuild(cursor) -> int:
    """Fill an empty ChildArea from ChildMonth (migration 0010, before the counts existed)."""
    cursor.execute(
        f"INSERT INTO {AREA} (area, span, person_key, months) "  # noqa: S608 (constants only)
        + _BITS.format(months=_CHILD_MONTHS.format(where=""))
    )
    return cursor.rowcount


def child_area_counts_rebuild(cursor) -> int:
    """Count ChildArea's rows by area, span and mask again."""
    cursor.execute(f"TRUNCATE {COUNT}")
    cursor.execute(
        f"INSERT INTO {COUNT} (area, span, months, n) "  # noqa: S608 (constants only)
        f"SELECT area, span, months, count(*) FROM {AREA} GROUP BY area, span, months"
    )
    cursor.execute(f"ANALYZE {COUNT}")
    return cursor.rowcount


def child_areas_rebuild() -> int:
    """Rebuild ChildArea and ChildAreaCount from ChildMonth (after loading child-months by
    other means): the same rows and counts the drain keeps."""
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        cursor.execute(f"TRUNCATE {AREA}")
        rows = child_area_rows_rebuild(cursor)
        cursor.execute(f"ANALYZE {AREA}")
        child_area_counts_rebuild(cursor)
    return rows
