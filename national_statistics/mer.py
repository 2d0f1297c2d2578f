"""PEPFAR MER OVC_SERV from de-identified facts (GLOSSARY section 5, DATIM).

A beneficiary is an opaque ``case_ref``; its facts say when it was enrolled, served
(``ovc_service``), and exited or graduated. For a reporting period of six months (SAPR,
October to March) or twelve (APR, October to September):

- **Active**: enrolled by the end of the period, not exited by then, and served at least
  once in each of the two quarters ending the period (or enrolled in the last quarter and
  served in it);
- **Graduated**: graduated during the period (``ovc_graduated``, or an exit with reason
  ``ERCP``);
- **Exited without graduation**: any other exit during the period.

Sex and MER age band are those of the beneficiary's latest fact in the period.
Not applied yet: the exclusion of 18+ beneficiaries out of school (school status is not
in the facts).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection

from national_statistics.reports import SEXES, Report
from national_statistics.selectors import StatisticsScope
from national_statistics.suppression import TOTAL

MER_AGE_BANDS = ["<1", "1-4", "5-9", "10-14", "15-17", "18-20", "21+", "unknown"]
OVC_SERV_ROWS = [
    ("active", "Active"),
    ("graduated", "Graduated"),
    ("exited", "Exited without graduation"),
]


def _month_end(month: date) -> date:
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _quarter_start(month: date) -> date:
    return date(month.year, month.month - (month.month - 1) % 3, 1)


def check_mer_period(month_from: date, month_to: date) -> None:
    months = (month_to.year - month_from.year) * 12 + month_to.month - month_from.month + 1
    if month_from.month != 10 or months not in (6, 12):
        raise ValueError("OVC_SERV covers October to March (SAPR) or October to September (APR).")


OVC_SERV_SQL = """
WITH per AS (
    SELECT case_ref,
        min(occurred_on) FILTER (WHERE event_kind = 'ovc_enrolled') AS enrolled_on,
        bool_or(event_kind IN ('ovc_exited', 'ovc_graduated') AND occurred_on < %(start)s)
            AS exited_before,
        bool_or((event_kind = 'ovc_graduated' OR (event_kind = 'ovc_exited' AND category = 'ERCP'))
                AND occurred_on >= %(start)s) AS graduated,
        bool_or(event_kind = 'ovc_exited' AND category <> 'ERCP' AND occurred_on >= %(start)s)
            AS exited,
        bool_or(event_kind = 'ovc_service' AND occurred_on >= %(q1)s AND occurred_on < %(q2)s)
            AS served_q1,
        bool_or(event_kind = 'ovc_service' AND occurred_on >= %(q2)s) AS served_q2,
        (array_agg(sex ORDER BY occurred_on DESC, id DESC))[1] AS sex,
        (array_agg(age_band ORDER BY occurred_on DESC, id DESC))[1] AS age_band
    FROM public.national_statistics_fact
    WHERE event_kind LIKE 'ovc_%%' AND occurred_on <= %(end)s {scope}
    GROUP BY case_ref
)
SELECT CASE WHEN graduated THEN 'graduated'
            WHEN exited THEN 'exited'
            ELSE 'active' END AS status,
       sex, age_band, count(*)
FROM per
WHERE enrolled_on IS NOT NULL AND NOT exited_before
  AND (graduated OR exited OR (served_q2 AND (served_q1 OR enrolled_on >= %(q2)s)))
GROUP BY 1, 2, 3
"""


def ovc_serv(scope: StatisticsScope, month_from: date, month_to: date) -> Report:
    check_mer_period(month_from, month_to)
    end = _month_end(month_to)
    q2 = _quarter_start(month_to)
    q1 = _quarter_start(q2 - timedelta(days=1))
    params = {"start": month_from, "end": end, "q1": q1, "q2": q2}
    conditions = []
    for column, value in (
        ("organisation_id", scope.organisation_id),
        ("county", scope.county),
        ("sub_county", scope.sub_county),
    ):
        if value:
            conditions.append(f"AND {column} = %({column})s")
            params[column] = value
    with connection.cursor() as cursor:
        cursor.execute(OVC_SERV_SQL.format(scope=" ".join(conditions)), params)
        rows = cursor.fetchall()
    columns = [
        (f"{sex}|{band}", f"{label} {band}") for sex, label in SEXES for band in MER_AGE_BANDS
    ]
    report = Report(
        title="OVC_SERV", row_header="OVC_SERV", rows=list(OVC_SERV_ROWS), columns=columns
    )
    for status, sex, band, n in rows:
        key = (status, f"{sex}|{band or 'unknown'}")
        report.values[key] = report.values.get(key, 0) + int(n)
    for row, _ in report.rows:
        report.values[(row, TOTAL)] = sum(report.values.get((row, c), 0) for c, _ in columns)
    for column, _ in columns:
        report.values[(TOTAL, column)] = sum(
            report.values.get((r, column), 0) for r, _ in report.rows
        )
    report.values[(TOTAL, TOTAL)] = sum(report.values[(r, TOTAL)] for r, _ in report.rows)
    return report
