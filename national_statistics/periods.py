"""Reporting periods as users name them: a month, a Kenya government financial quarter or
year (July to June), a PEPFAR fiscal quarter, SAPR or APR (October to September).

Each has a key used in links, exports and the API:

| period | key | months |
| --- | --- | --- |
| month | ``2026-03`` | March 2026 |
| government quarter | ``GFY2025/26-Q1`` | July-September 2025 |
| government year | ``GFY2025/26`` | July 2025-June 2026 |
| PEPFAR quarter | ``FY26-Q1`` | October-December 2025 |
| PEPFAR SAPR | ``FY26-SAPR`` | October 2025-March 2026 |
| PEPFAR APR | ``FY26-APR`` | October 2025-September 2026 |
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
GOVERNMENT = re.compile(r"^GFY(\d{4})/(\d{2})(?:-Q([1-4]))?$")
PEPFAR = re.compile(r"^FY(\d{2})-(Q[1-4]|SAPR|APR)$")


@dataclass(frozen=True)
class Period:
    key: str
    kind: str  # month, government_quarter, government_year, pepfar_quarter, sapr, apr
    first_month: date
    last_month: date

    @property
    def label(self) -> str:
        span = _month_span(self.first_month, self.last_month)
        if self.kind == "custom":
            return span
        if self.kind == "month":
            return date_format(self.first_month, "F Y")
        if self.kind == "government_quarter":
            return _("Government FY %(year)s Q%(q)s (%(span)s)") % {
                "year": self.key[3:10],
                "q": self.key[-1],
                "span": span,
            }
        if self.kind == "government_year":
            return _("Government FY %(year)s (%(span)s)") % {"year": self.key[3:], "span": span}
        if self.kind == "pepfar_quarter":
            return _("PEPFAR %(fy)s Q%(q)s (%(span)s)") % {
                "fy": self.key[:4],
                "q": self.key[-1],
                "span": span,
            }
        return _("PEPFAR %(fy)s %(name)s (%(span)s)") % {
            "fy": self.key[:4],
            "name": self.kind.upper(),
            "span": span,
        }


def _month_span(first: date, last: date) -> str:
    if first == last:
        return date_format(first, "M Y")
    return f"{date_format(first, 'M Y')} – {date_format(last, 'M Y')}"


def _add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def period_parse(key: str) -> Period:
    """The period a key names; ValueError for anything else."""
    key = (key or "").strip()
    if match := MONTH.match(key):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12 or year < 1900:
            raise ValueError(key)
        first = date(year, month, 1)
        return Period(key, "month", first, first)
    if match := GOVERNMENT.match(key):
        year = int(match[1])
        if (year + 1) % 100 != int(match[2]):
            raise ValueError(key)
        first = date(year, 7, 1)
        if match[3]:
            first = _add_months(first, 3 * (int(match[3]) - 1))
            return Period(key, "government_quarter", first, _add_months(first, 2))
        return Period(key, "government_year", first, _add_months(first, 11))
    if match := PEPFAR.match(key):
        start = date(2000 + int(match[1]) - 1, 10, 1)  # FY26 starts in October 2025
        part = match[2]
        if part.startswith("Q"):
            first = _add_months(start, 3 * (int(part[1]) - 1))
            return Period(key, "pepfar_quarter", first, _add_months(first, 2))
        months = 6 if part == "SAPR" else 12
        return Period(key, part.lower(), start, _add_months(start, months - 1))
    raise ValueError(key)


def government_year_of(month: date) -> int:
    """The calendar year the government financial year containing ``month`` starts in."""
    return month.year if month.month >= 7 else month.year - 1


def pepfar_year_of(month: date) -> int:
    """PEPFAR's fiscal year of ``month`` (FY26 runs October 2025 to September 2026)."""
    return month.year + 1 if month.month >= 10 else month.year


def government_year(start_year: int, quarter: int | None = None) -> Period:
    key = f"GFY{start_year}/{(start_year + 1) % 100:02d}"
    return period_parse(f"{key}-Q{quarter}" if quarter else key)


def pepfar(fiscal_year: int, part: str) -> Period:
    return period_parse(f"FY{fiscal_year % 100:02d}-{part}")


def period_default(today: date) -> Period:
    """The current government financial year (dashboards open on it)."""
    return government_year(government_year_of(today))


def period_choices(today: date) -> list[tuple[str, list[Period]]]:
    """The periods offered in lists, newest first: those that have begun by ``today``."""
    this_month = today.replace(day=1)
    months = [period_parse(f"{_add_months(this_month, -i):%Y-%m}") for i in range(13)]
    gfy = government_year_of(this_month)
    gov_quarters = [government_year(year, q) for year in (gfy, gfy - 1) for q in (4, 3, 2, 1)]
    gov_years = [government_year(year) for year in (gfy, gfy - 1, gfy - 2)]
    fy = pepfar_year_of(this_month)
    pepfar_quarters = [pepfar(year, f"Q{q}") for year in (fy, fy - 1) for q in (4, 3, 2, 1)]
    semi = [pepfar(year, part) for year in (fy, fy - 1, fy - 2) for part in ("APR", "SAPR")]

    def begun(periods: list[Period]) -> list[Period]:
        return [p for p in periods if p.first_month <= this_month]

    return [
        (_("Government financial year (July to June)"), begun(gov_years)),
        (_("Government quarter"), begun(gov_quarters)),
        (_("Month"), months),
        (_("PEPFAR SAPR and APR (October to September)"), begun(semi)),
        (_("PEPFAR quarter"), begun(pepfar_quarters)),
    ]


def period_of_months(first_month: date, last_month: date) -> Period:
    """The named period with exactly these months, else a custom run of months (links and
    callers that still give a first and last month)."""
    return period_from_months(first_month, last_month) or Period(
        "", "custom", first_month, last_month
    )


def period_from_months(first_month: date, last_month: date) -> Period | None:
    """The named period with exactly these months, if there is one."""
    candidates = [f"{first_month:%Y-%m}"] if first_month == last_month else []
    gfy = government_year_of(first_month)
    candidates += [f"GFY{gfy}/{(gfy + 1) % 100:02d}"]
    candidates += [f"GFY{gfy}/{(gfy + 1) % 100:02d}-Q{q}" for q in range(1, 5)]
    fy = pepfar_year_of(first_month) % 100
    candidates += [f"FY{fy:02d}-{part}" for part in ("Q1", "Q2", "Q3", "Q4", "SAPR", "APR")]
    for key in candidates:
        period = period_parse(key)
        if (period.first_month, period.last_month) == (first_month, last_month):
            return period
    return None
