"""PEPFAR MER OVC_SERV and OVC_HIVSTAT from de-identified facts (GLOSSARY section 5, DATIM).

A beneficiary is an opaque ``case_ref``; its facts say when it was enrolled, served
(``ovc_service``), exited or graduated, its school level (``ovc_school_status``) and HIV
status (``ovc_hiv_status``, ``ovc_hiv_test_not_required``). For a reporting period of
six months (SAPR, October to March), twelve (APR, October to September) or one fiscal
quarter:

- **Active**: enrolled by the end of the period, not exited by then, and served at least
  once in each of the two quarters ending the period (or enrolled in the last quarter and
  served in it); beneficiaries of 18 and over who are out of school (school level
  ``SLNS`` as known at the period end) are left out;
- **Graduated**: graduated during the period (``ovc_graduated``, or an exit with reason
  ``ERCP``);
- **Exited without graduation**: any other exit during the period.

**OVC_HIVSTAT** counts the OVC_SERV beneficiaries under 18 (active and graduated) by HIV
status as known at the period end: the latest status fact (positive on ART, positive not
on ART, negative); a status still unknown becomes "test not required" when a risk
screening at or after it required no test.

Sex and MER age band are those of the beneficiary's latest fact up to the period end (the
facts carry the age band on each event's day, not the date of birth), which stands for
the age at the period end.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection

from national_statistics.reports import SEXES, Report
from national_statistics.rollups import SERV_FROM_ROLLUP
from national_statistics.selectors import StatisticsScope

MER_AGE_BANDS = ["<1", "1-4", "5-9", "10-14", "15-17", "18-20", "21+", "unknown"]
UNDER_18_BANDS = ["<1", "1-4", "5-9", "10-14", "15-17"]
ADULT_BANDS = ("18-20", "21+")
OUT_OF_SCHOOL = "SLNS"
# The facts MER reads (an explicit list, so the facts' (event_kind, occurred_on) index serves)
OVC_KINDS = (
    "ovc_enrolled",
    "ovc_service",
    "ovc_exited",
    "ovc_graduated",
    "ovc_school_status",
    "ovc_hiv_status",
    "ovc_hiv_test_not_required",
)
# OVC_SERV = active + graduated (its total); exits without graduation are reported beside it.
OVC_SERV_ROWS = [("active", "Active"), ("graduated", "Graduated")]
OVC_SERV_BESIDE = [("exited", "Exited without graduation")]
# Row keys are DHIS2 data element keys too, so they differ from every other report's rows.
OVC_HIVSTAT_ROWS = [
    ("hiv_positive_on_art", "HIV+ on ART"),
    ("hiv_positive_no_art", "HIV+ not on ART"),
    ("hiv_negative", "HIV-"),
    ("hiv_not_required", "Test not required"),
    ("hiv_unknown", "Unknown"),
]


def _month_end(month: date) -> date:
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _quarter_start(month: date) -> date:
    return date(month.year, month.month - (month.month - 1) % 3, 1)


def check_mer_period(month_from: date, month_to: date) -> None:
    """MER periods: SAPR (October-March), APR (October-September) or one fiscal quarter."""
    months = (month_to.year - month_from.year) * 12 + month_to.month - month_from.month + 1
    if months == 3 and month_from.month in (1, 4, 7, 10):
        return
    if month_from.month != 10 or months not in (6, 12):
        raise ValueError(
            "PEPFAR MER reports cover October to March (SAPR), October to September (APR) "
            "or one quarter (October-December, January-March, April-June, July-September)."
        )


# One row per beneficiary with what OVC_SERV and OVC_HIVSTAT need, then its OVC_SERV status.
BENEFICIARIES_SQL = """
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
        (array_agg(age_band ORDER BY occurred_on DESC, id DESC))[1] AS age_band,
        (array_agg(category ORDER BY occurred_on DESC, id DESC)
            FILTER (WHERE event_kind = 'ovc_school_status'))[1] AS school,
        (array_agg(category ORDER BY occurred_on DESC, id DESC)
            FILTER (WHERE event_kind = 'ovc_hiv_status'))[1] AS hiv_status,
        max(occurred_on) FILTER (WHERE event_kind = 'ovc_hiv_status') AS hiv_status_on,
        max(occurred_on) FILTER (WHERE event_kind = 'ovc_hiv_test_not_required')
            AS not_required_on
    FROM public.national_statistics_fact
    WHERE event_kind = ANY(%(kinds)s) AND occurred_on <= %(end)s {scope}
    GROUP BY case_ref
),
serv AS (
    SELECT CASE WHEN graduated THEN 'graduated'
                WHEN exited THEN 'exited'
                ELSE 'active' END AS status,
           CASE WHEN hiv_status IN ('positive_on_art', 'positive_no_art', 'negative')
                    THEN hiv_status
                WHEN not_required_on >= coalesce(hiv_status_on, not_required_on)
                    THEN 'not_required'
                ELSE 'unknown' END AS hivstat,
           sex, age_band
    FROM per
    WHERE enrolled_on IS NOT NULL AND NOT exited_before
      AND (graduated OR exited OR (
           served_q2 AND (served_q1 OR enrolled_on >= %(q2)s)
           AND NOT (age_band = ANY(%(adult_bands)s) AND coalesce(school, '') = %(out_of_school)s)))
)
{select}
"""
OVC_SERV_SELECT = "SELECT status, sex, age_band, count(*) FROM serv GROUP BY 1, 2, 3"
OVC_HIVSTAT_SELECT = """SELECT hivstat, sex, age_band, count(*) FROM serv
WHERE status IN ('active', 'graduated') AND age_band = ANY(%(under_18)s)
GROUP BY 1, 2, 3"""


def _beneficiary_counts(
    select: str,
    scope: StatisticsScope,
    month_from: date,
    month_to: date,
    *,
    from_facts: bool = False,
) -> list[tuple]:
    """Rows of ``select`` (a query over ``serv``) for the period's beneficiaries in scope:
    from the drain's rollup (rollups.py), or recomputed from every fact (``from_facts``)."""
    check_mer_period(month_from, month_to)
    q2 = _quarter_start(month_to)
    params = {
        "start": month_from,
        "end": _month_end(month_to),
        "q1": _quarter_start(q2 - timedelta(days=1)),
        "q2": q2,
        "kinds": list(OVC_KINDS),
        "adult_bands": list(ADULT_BANDS),
        "out_of_school": OUT_OF_SCHOOL,
        "under_18": list(UNDER_18_BANDS),
    }
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
        # only fixed column names and queries are formatted in; every value is a parameter
        query = BENEFICIARIES_SQL if from_facts else SERV_FROM_ROLLUP
        cursor.execute(query.format(scope=" ".join(conditions), select=select), params)
        return cursor.fetchall()


def _report(
    title: str,
    rows: list[tuple[str, str]],
    bands: list[str],
    counts: list[tuple],
    beside_rows: list[tuple[str, str]] | None = None,
) -> Report:
    columns = [(f"{sex}|{band}", f"{label} {band}") for sex, label in SEXES for band in bands]
    report = Report(
        title=title,
        row_header=title,
        rows=list(rows),
        columns=columns,
        beside_rows=list(beside_rows or []),
    )
    for row, sex, band, n in counts:
        key = (row, f"{sex}|{band or 'unknown'}")
        report.values[key] = report.values.get(key, 0) + int(n)
    return report.fill_totals()


def ovc_serv(scope: StatisticsScope, month_from: date, month_to: date) -> Report:
    """OVC_SERV: active, graduated and exited without graduation by sex and MER age band."""
    counts = _beneficiary_counts(OVC_SERV_SELECT, scope, month_from, month_to)
    return _report("OVC_SERV", OVC_SERV_ROWS, MER_AGE_BANDS, counts, OVC_SERV_BESIDE)


def ovc_hivstat(scope: StatisticsScope, month_from: date, month_to: date) -> Report:
    """OVC_HIVSTAT: OVC_SERV under 18 (active and graduated) by HIV status at the period end."""
    counts = _beneficiary_counts(OVC_HIVSTAT_SELECT, scope, month_from, month_to)
    counts = [(f"hiv_{status}", sex, band, n) for status, sex, band, n in counts]
    return _report("OVC_HIVSTAT", OVC_HIVSTAT_ROWS, UNDER_18_BANDS, counts)
