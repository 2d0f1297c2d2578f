"""Rollups the drain keeps in step with the facts, so that tiles and reports read little.

``MerQuarter``: PEPFAR MER per OVC beneficiary and fiscal quarter. A beneficiary touched by
a drained batch (a fact added, restated or retracted) has its rows rebuilt from all its
facts, in the same transaction. Its rows: one per quarter in which it was served, with
whether it was served the quarter before, and one for the quarter of its exit; each with
the beneficiary's state at that quarter's end (sex, MER age band, area, school level, HIV
status as OVC_HIVSTAT reads it). OVC_SERV for a period ending with quarter Q is then:

- active: Q's served rows of beneficiaries enrolled by the period end, not exited by then,
  served the quarter before or enrolled in Q, and not 18+ out of school;
- graduated / exited without graduation: exit rows of the period's quarters whose exit
  falls in the period,

which is what ``national_statistics/mer.py`` states over the facts (a test keeps the two
equal). The state of an exit row is taken at the end of its exit quarter (facts after an
exit are not expected: an exited enrolment takes no services or corrections).

``PopulationMonth`` and ``PopulationBalance`` (per institution), ``PopulationAreaMonth`` and
``PopulationAreaBalance`` (per county and sub-county): the institution population (issue
19). The drain adds the ``resident_admitted`` and ``resident_discharged`` facts it inserts to
all four, and takes those it removes (restated or retracted) off them, in the statement that
inserts or removes them: a month's admissions and discharges per institution or area, sex
and age band, and the balance of all of them ever. Counts only add and subtract, so any order of
back-dated facts and restatements leaves them equal to a count of the facts (a test keeps
them so); ``institutions.population_by_month`` reads the balance less the months from the
period's start.

``ChildArea`` and ``ChildAreaCount`` (the children tile) are in ``children.py``,
``CountyMonthCount`` (the national and county series) in ``county_counts.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import connection, transaction

OVC_KINDS = (
    "ovc_enrolled",
    "ovc_service",
    "ovc_exited",
    "ovc_graduated",
    "ovc_school_status",
    "ovc_hiv_status",
    "ovc_hiv_test_not_required",
)
KNOWN_STATUSES = ("positive_on_art", "positive_no_art", "negative")
GRADUATION = "ERCP"


def quarter_of(day: date) -> date:
    return date(day.year, day.month - (day.month - 1) % 3, 1)


def quarter_end(quarter: date) -> date:
    month = quarter.month + 3
    following = date(quarter.year + (month > 12), (month - 1) % 12 + 1, 1)
    return following - timedelta(days=1)


def previous_quarter(quarter: date) -> date:
    return quarter_of(quarter - timedelta(days=1))


def _state(facts: list[tuple], until: date) -> dict:
    """The beneficiary's state at ``until`` from its facts (sorted by day, then id)."""
    seen = [f for f in facts if f[1] <= until]
    latest = seen[-1]
    school = [f[2] for f in seen if f[0] == "ovc_school_status"]
    statuses = [f for f in seen if f[0] == "ovc_hiv_status"]
    not_required = [f[1] for f in seen if f[0] == "ovc_hiv_test_not_required"]
    status = statuses[-1][2] if statuses else ""
    status_on = max((f[1] for f in statuses), default=None)
    if status in KNOWN_STATUSES:
        hivstat = status
    elif not_required and (status_on is None or max(not_required) >= status_on):
        hivstat = "not_required"
    else:
        hivstat = "unknown"
    return {
        "sex": latest[3],
        "age_band": latest[4],
        "county": latest[5],
        "sub_county": latest[6],
        "school": school[-1] if school else "",
        "hivstat": hivstat,
    }


def beneficiary_rows(facts: list[tuple]) -> list[dict]:
    """The rollup rows of one beneficiary from its facts, each fact a tuple (kind, day,
    category, sex, age_band, county, sub_county), sorted by day then id."""
    enrolled = [f[1] for f in facts if f[0] == "ovc_enrolled"]
    if not enrolled:
        return []
    enrolled_on = min(enrolled)
    exits = [f for f in facts if f[0] in ("ovc_exited", "ovc_graduated")]
    exit_fact = exits[-1] if exits else None
    common = {
        "enrolled_on": enrolled_on,
        "exit_on": exit_fact[1] if exit_fact else None,
        "graduated": bool(
            exit_fact and (exit_fact[0] == "ovc_graduated" or exit_fact[2] == GRADUATION)
        ),
    }
    served = {quarter_of(f[1]) for f in facts if f[0] == "ovc_service"}
    rows = [
        {
            **common,
            **_state(facts, quarter_end(quarter)),
            "quarter": quarter,
            "exit": False,
            "served_before": previous_quarter(quarter) in served,
        }
        for quarter in sorted(served)
    ]
    if exit_fact:
        quarter = quarter_of(exit_fact[1])
        rows.append(
            {
                **common,
                **_state(facts, quarter_end(quarter)),
                "quarter": quarter,
                "exit": True,
                "served_before": False,
            }
        )
    return rows


COLUMNS = (
    "case_ref",
    "quarter",
    "exit",
    "served_before",
    "enrolled_on",
    "exit_on",
    "graduated",
    "sex",
    "age_band",
    "county",
    "sub_county",
    "school",
    "hivstat",
)
INSERT_ROWS = """
INSERT INTO public.national_statistics_merquarter (organisation_id, {columns})
SELECT %s, * FROM unnest(%s::text[], %s::date[], %s::boolean[], %s::boolean[], %s::date[],
    %s::date[], %s::boolean[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[],
    %s::text[])
""".format(columns=", ".join(COLUMNS))
FACTS_OF = """
SELECT case_ref, event_kind, occurred_on, category, sex, age_band, county, sub_county
FROM public.national_statistics_fact
WHERE organisation_id = %s AND case_ref = ANY(%s::text[]) AND event_kind = ANY(%s::text[])
ORDER BY case_ref, occurred_on, id
"""


def _insert(cursor, organisation_id: int, rows: list[dict]) -> None:
    if rows:
        columns = [[row[name] for row in rows] for name in COLUMNS]
        cursor.execute(INSERT_ROWS, [organisation_id, *columns])


def _rows_by_beneficiary(records: Iterable[tuple]) -> list[dict]:
    """Rows of every beneficiary in ``records`` (facts sorted by case_ref, day, id)."""
    rows: list[dict] = []
    current, facts = None, []
    for case_ref, *fact in records:
        if case_ref != current:
            if facts:
                rows += [{**r, "case_ref": current} for r in beneficiary_rows(facts)]
            current, facts = case_ref, []
        facts.append(tuple(fact))
    if facts:
        rows += [{**r, "case_ref": current} for r in beneficiary_rows(facts)]
    return rows


# What a MerQuarter row counts as in OVC_SERV: active in its quarter, graduated or exited in
# its exit quarter, or nothing ('').
ROW_STATUS = """CASE
    WHEN exit THEN CASE WHEN graduated THEN 'graduated' ELSE 'exited' END
    WHEN enrolled_on <= (quarter + interval '3 months')::date - 1
         AND (exit_on IS NULL OR exit_on > (quarter + interval '3 months')::date - 1)
         AND (served_before OR enrolled_on >= quarter)
         AND NOT (age_band IN ('18-20', '21+') AND school = 'SLNS') THEN 'active'
    ELSE '' END"""
COUNT_KEYS = "quarter, organisation_id, county, sub_county, status, hivstat, sex, age_band"
REMOVE_ROWS = f"""
WITH gone AS (
    DELETE FROM public.national_statistics_merquarter
    WHERE organisation_id = %s AND case_ref = ANY(%s::text[])
    RETURNING quarter, organisation_id, county, sub_county, {ROW_STATUS} AS status, hivstat,
              sex, age_band
)
UPDATE public.national_statistics_mercount AS c SET n = c.n - g.n
FROM (SELECT {COUNT_KEYS}, count(*) AS n FROM gone WHERE status <> ''
      GROUP BY {COUNT_KEYS}) AS g
WHERE (c.quarter, c.organisation_id, c.county, c.sub_county, c.status, c.hivstat, c.sex,
       c.age_band)
    = (g.quarter, g.organisation_id, g.county, g.sub_county, g.status, g.hivstat, g.sex,
       g.age_band)
"""  # noqa: S608 (constants only)
ADD_COUNTS = f"""
INSERT INTO public.national_statistics_mercount ({COUNT_KEYS}, n)
SELECT {COUNT_KEYS}, count(*) FROM (
    SELECT quarter, organisation_id, county, sub_county, {ROW_STATUS} AS status, hivstat, sex,
           age_band
    FROM public.national_statistics_merquarter
    WHERE organisation_id = %s AND case_ref = ANY(%s::text[])
) AS rows WHERE status <> ''
GROUP BY {COUNT_KEYS}
ON CONFLICT ({COUNT_KEYS}) DO UPDATE SET n = national_statistics_mercount.n + EXCLUDED.n
"""  # noqa: S608 (constants only)


def mer_rollup_refresh(cursor, organisation_id: int, case_refs: Iterable[str]) -> int:
    """Rebuild the rollup rows (and their counts) of these beneficiaries from their facts."""
    refs = sorted(set(case_refs))
    if not refs:
        return 0
    cursor.execute(REMOVE_ROWS, [organisation_id, refs])
    cursor.execute(FACTS_OF, [organisation_id, refs, list(OVC_KINDS)])
    rows = _rows_by_beneficiary(cursor.fetchall())
    _insert(cursor, organisation_id, rows)
    cursor.execute(ADD_COUNTS, [organisation_id, refs])
    return len(rows)


def mer_counts_rebuild() -> int:
    """Count the whole MER rollup again (after rebuilding it)."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE public.national_statistics_mercount")
        cursor.execute(f"""
            INSERT INTO public.national_statistics_mercount ({COUNT_KEYS}, n)
            SELECT {COUNT_KEYS}, count(*) FROM (
                SELECT quarter, organisation_id, county, sub_county, {ROW_STATUS} AS status,
                       hivstat, sex, age_band
                FROM public.national_statistics_merquarter) AS rows
            WHERE status <> '' GROUP BY {COUNT_KEYS}""")  # noqa: S608 (constants only)
        cursor.execute("ANALYZE public.national_statistics_mercount")
        return cursor.rowcount


def mer_rollup_rebuild(batch: int = 20_000) -> int:
    """Rebuild the whole MER rollup from the facts (after loading facts by other means)."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE public.national_statistics_merquarter")
        cursor.execute(
            "SELECT DISTINCT organisation_id, case_ref FROM public.national_statistics_fact "
            "WHERE event_kind = 'ovc_enrolled'"
        )
        beneficiaries: dict[int, list[str]] = {}
        for organisation_id, case_ref in cursor.fetchall():
            beneficiaries.setdefault(organisation_id, []).append(case_ref)
        total = 0
        for organisation_id, refs in beneficiaries.items():
            for start in range(0, len(refs), batch):
                chunk = refs[start : start + batch]
                cursor.execute(FACTS_OF, [organisation_id, chunk, list(OVC_KINDS)])
                rows = _rows_by_beneficiary(cursor.fetchall())
                _insert(cursor, organisation_id, rows)
                total += len(rows)
        cursor.execute("ANALYZE public.national_statistics_merquarter")
    mer_counts_rebuild()
    return total


# OVC_SERV rows (status, HIV status, sex, age band, n) of a period, from the counts: the
# same ``serv`` relation mer.py builds from the facts, with a count per row (so selects sum
# ``n`` where the count from facts counts rows).
SERV_FROM_ROLLUP = """
WITH serv AS (
    SELECT status, hivstat, sex, age_band, n
    FROM public.national_statistics_mercount
    WHERE quarter >= %(start)s AND quarter <= %(q2)s {scope}
      AND (quarter = %(q2)s OR status <> 'active') AND n > 0
)
{select}
"""


def summed(select: str) -> str:
    """A select over ``serv`` that counts rows, made to sum the rollup's counts."""
    return select.replace("count(*)", "sum(n)::bigint")


# --- Institution population ---------------------------------------------------------------
POPULATION_KINDS = ("resident_admitted", "resident_discharged")
ORGANISATION_KEYS = "organisation_id, county, sub_county, sex, age_band"
AREA_KEYS = "county, sub_county, sex, age_band"
# (table, its keys): per institution (an institution's report) and per area (the others)
POPULATION_MONTHS = (
    ("national_statistics_populationmonth", ORGANISATION_KEYS),
    ("national_statistics_populationareamonth", AREA_KEYS),
)
POPULATION_BALANCES = (
    ("national_statistics_populationbalance", ORGANISATION_KEYS),
    ("national_statistics_populationareabalance", AREA_KEYS),
)
_ADMITTED = "count(*) FILTER (WHERE event_kind = 'resident_admitted')"
_DISCHARGED = "count(*) FILTER (WHERE event_kind = 'resident_discharged')"
_MONTHS_CHANGED = """, {table}_{facts} AS (
    INSERT INTO public.{table} (month, {keys}, admitted, discharged)
    SELECT date_trunc('month', occurred_on)::date, {keys},
           {sign} * {admitted}, {sign} * {discharged}
    FROM {facts} WHERE event_kind IN ('resident_admitted', 'resident_discharged')
    GROUP BY 1, {keys}
    ON CONFLICT (month, {keys}) DO UPDATE SET
        admitted = {table}.admitted + EXCLUDED.admitted,
        discharged = {table}.discharged + EXCLUDED.discharged
)"""
_BALANCE_CHANGED = """, {table}_{facts} AS (
    INSERT INTO public.{table} ({keys}, residents)
    SELECT {keys}, {sign} * ({admitted} - {discharged})
    FROM {facts} WHERE event_kind IN ('resident_admitted', 'resident_discharged')
    GROUP BY {keys}
    ON CONFLICT ({keys}) DO UPDATE SET residents = {table}.residents + EXCLUDED.residents
)"""


def population_changed(facts: str, sign: int) -> str:
    """CTEs adding (``sign`` 1) or taking off (-1) the population facts of the relation
    ``facts`` (the drain's inserted or removed facts) to the population rollups."""
    counts = {"facts": facts, "sign": int(sign), "admitted": _ADMITTED, "discharged": _DISCHARGED}
    return "".join(
        [_MONTHS_CHANGED.format(table=t, keys=k, **counts) for t, k in POPULATION_MONTHS]
        + [_BALANCE_CHANGED.format(table=t, keys=k, **counts) for t, k in POPULATION_BALANCES]
    )


def population_rollup_rebuild() -> int:
    """Rebuild the population rollups from the monthly counts (which the drain keeps in step
    with the facts): after the rollups were added, or after loading counts by other means."""
    tables = [table for table, _ in POPULATION_MONTHS + POPULATION_BALANCES]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(f"public.{table}" for table in tables))
        for table, keys in POPULATION_MONTHS:
            cursor.execute(f"""
                INSERT INTO public.{table} (month, {keys}, admitted, discharged)
                SELECT month, {keys},
                       coalesce(sum(n) FILTER (WHERE event_kind = 'resident_admitted'), 0),
                       coalesce(sum(n) FILTER (WHERE event_kind = 'resident_discharged'), 0)
                FROM public.national_statistics_monthlycount
                WHERE event_kind IN ('resident_admitted', 'resident_discharged')
                GROUP BY month, {keys}""")  # noqa: S608 (constants only)
        months = cursor.rowcount
        for (table, keys), (source, _) in zip(POPULATION_BALANCES, POPULATION_MONTHS, strict=True):
            cursor.execute(f"""
                INSERT INTO public.{table} ({keys}, residents)
                SELECT {keys}, sum(admitted - discharged) FROM public.{source}
                GROUP BY {keys}""")  # noqa: S608 (constants only)
        for table in tables:
            cursor.execute(f"ANALYZE public.{table}")
    return months


# --- Pending cases (CaseProgress, PendingCount) ---------------------------------------------
MOVED_ON_KINDS = ("case_activated", "case_closed", "transfer_out")
# The CaseProgress rows of cases from their facts (``{cases}``: which cases, on both sides).
CASE_PROGRESS_ROWS = """
INSERT INTO public.national_statistics_caseprogress
    (organisation_id, case_ref, opened_month, county, sub_county, moved_month, n)
SELECT o.organisation_id, o.case_ref, date_trunc('month', o.occurred_on)::date, o.county,
       o.sub_county, coalesce(m.moved, DATE '9999-12-01'), count(*)
FROM public.national_statistics_fact AS o
LEFT JOIN (
    SELECT organisation_id, case_ref, date_trunc('month', min(occurred_on))::date AS moved
    FROM public.national_statistics_fact
    WHERE event_kind IN ('case_activated', 'case_closed', 'transfer_out') AND case_ref <> ''
      {cases}
    GROUP BY organisation_id, case_ref
) AS m ON m.organisation_id = o.organisation_id AND m.case_ref = o.case_ref
WHERE o.event_kind = 'case_opened' AND o.case_ref <> '' {opened_cases}
GROUP BY 1, 2, 3, 4, 5, 6
"""
PENDING_KEYS = "opened_month, moved_month, organisation_id, county, sub_county"
THESE_CASES = "AND organisation_id = %(organisation)s AND case_ref = ANY(%(refs)s::text[])"
REMOVE_CASE_PROGRESS = f"""
WITH gone AS (
    DELETE FROM public.national_statistics_caseprogress
    WHERE organisation_id = %(organisation)s AND case_ref = ANY(%(refs)s::text[])
    RETURNING {PENDING_KEYS}, n
)
UPDATE public.national_statistics_pendingcount AS c SET n = c.n - g.n
FROM (SELECT {PENDING_KEYS}, sum(n) AS n FROM gone GROUP BY {PENDING_KEYS}) AS g
WHERE (c.opened_month, c.moved_month, c.organisation_id, c.county, c.sub_county)
    = (g.opened_month, g.moved_month, g.organisation_id, g.county, g.sub_county)
"""  # noqa: S608 (constants only)
ADD_PENDING_COUNTS = f"""
INSERT INTO public.national_statistics_pendingcount ({PENDING_KEYS}, n)
SELECT {PENDING_KEYS}, sum(n) FROM public.national_statistics_caseprogress
WHERE organisation_id = %(organisation)s AND case_ref = ANY(%(refs)s::text[])
GROUP BY {PENDING_KEYS}
ON CONFLICT ({PENDING_KEYS}) DO UPDATE SET n = national_statistics_pendingcount.n + EXCLUDED.n
"""  # noqa: S608 (constants only)


def case_progress_refresh(cursor, organisation_id: int, case_refs: Iterable[str]) -> None:
    """Rebuild the CaseProgress rows (and their PendingCount cells) of these cases of one
    organisation from their facts, in the drain's transaction (which holds the
    organisation's drain cursor, so no other drain writes these rows meanwhile)."""
    refs = sorted({ref for ref in case_refs if ref})
    if not refs:
        return
    params = {"organisation": organisation_id, "refs": refs}
    cursor.execute(REMOVE_CASE_PROGRESS, params)
    cursor.execute(
        CASE_PROGRESS_ROWS.format(
            cases=THESE_CASES,
            opened_cases=THESE_CASES.replace("organisation_id", "o.organisation_id").replace(
                "case_ref", "o.case_ref"
            ),
        ),
        params,
    )
    cursor.execute(ADD_PENDING_COUNTS, params)


def case_progress_rebuild() -> int:
    """Rebuild CaseProgress and PendingCount from the facts (after they were added, or after
    loading facts by other means): the same rows the drain keeps."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE public.national_statistics_caseprogress, "
            "public.national_statistics_pendingcount"
        )
        cursor.execute(CASE_PROGRESS_ROWS.format(cases="", opened_cases=""))
        rows = cursor.rowcount
        cursor.execute(f"""
            INSERT INTO public.national_statistics_pendingcount ({PENDING_KEYS}, n)
            SELECT {PENDING_KEYS}, sum(n) FROM public.national_statistics_caseprogress
            GROUP BY {PENDING_KEYS}""")  # noqa: S608 (constants only)
        cursor.execute("ANALYZE public.national_statistics_caseprogress")
        cursor.execute("ANALYZE public.national_statistics_pendingcount")
    return rows
