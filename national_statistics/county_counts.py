"""``CountyMonthCount``: ``MonthlyCount`` without organisation, sub-county and programme, for
the national and county dashboards (selectors.py), which group by none of those.

The drain adds the facts it inserts, and takes those it removes (restated or retracted) off,
in the statements that keep ``MonthlyCount`` (drain.py): counts only add and subtract, so any
order of back-dated facts and restatements leaves every cell equal to the sum of its
``MonthlyCount`` cells (a test keeps them so). A cell whose facts all left keeps ``n = 0``, as
``MonthlyCount``'s do.
"""

from __future__ import annotations

from django.db import connection, transaction

TABLE = "public.national_statistics_countymonthcount"
KEYS = "event_kind, month, county, category, sex, age_band"
_ADDED = f""", county_counted AS (
    INSERT INTO {TABLE} AS c ({KEYS}, n)
    SELECT event_kind, date_trunc('month', occurred_on)::date, county, category, sex,
           age_band, count(*)
    FROM inserted GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ({KEYS}) DO UPDATE SET n = c.n + EXCLUDED.n
)"""  # noqa: S608 (constants only)
_REMOVED = f""", county_uncounted AS (
    UPDATE {TABLE} AS c SET n = c.n - r.n
    FROM (SELECT event_kind, date_trunc('month', occurred_on)::date AS month, county,
                 category, sex, age_band, count(*) AS n
          FROM removed GROUP BY 1, 2, 3, 4, 5, 6) AS r
    WHERE (c.event_kind, c.month, c.county, c.category, c.sex, c.age_band)
        = (r.event_kind, r.month, r.county, r.category, r.sex, r.age_band)
)"""  # noqa: S608 (constants only)


def county_counts_changed(facts: str) -> str:
    """A CTE adding the drain's ``inserted`` facts to the county counts, or taking its
    ``removed`` facts off them."""
    return {"inserted": _ADDED, "removed": _REMOVED}[facts]


def county_counts_rebuild() -> int:
    """Count ``MonthlyCount`` again by county (after the table was added, or after loading
    counts by other means): the cells the drain keeps."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}")
        cursor.execute(f"""
            INSERT INTO {TABLE} ({KEYS}, n)
            SELECT {KEYS}, sum(n) FROM public.national_statistics_monthlycount
            GROUP BY {KEYS}""")  # noqa: S608 (constants only)
        rows = cursor.rowcount
        cursor.execute(f"ANALYZE {TABLE}")
    return rows
