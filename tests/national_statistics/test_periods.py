"""Periods users think in: month, government quarter and year (July-June), PEPFAR quarter,
SAPR and APR (October-September), chosen from a list; the same keys in exports."""

from datetime import date
from urllib.parse import urlencode

import pytest

from national_statistics.exports import adx_period, dhis2_period
from national_statistics.models import ExportJob
from national_statistics.periods import period_choices, period_default, period_parse
from tenants.models import PlatformRole
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.national_statistics.test_dashboard import opened


@pytest.mark.parametrize(
    ("key", "kind", "first", "last", "dhis2"),
    [
        ("2026-03", "month", date(2026, 3, 1), date(2026, 3, 1), "202603"),
        ("GFY2025/26-Q1", "government_quarter", date(2025, 7, 1), date(2025, 9, 1), "2025Q3"),
        ("GFY2025/26-Q3", "government_quarter", date(2026, 1, 1), date(2026, 3, 1), "2026Q1"),
        ("GFY2025/26", "government_year", date(2025, 7, 1), date(2026, 6, 1), "2025July"),
        ("FY26-Q1", "pepfar_quarter", date(2025, 10, 1), date(2025, 12, 1), "2025Q4"),
        ("FY26-Q4", "pepfar_quarter", date(2026, 7, 1), date(2026, 9, 1), "2026Q3"),
        ("FY26-SAPR", "sapr", date(2025, 10, 1), date(2026, 3, 1), "2025AprilS2"),
        ("FY26-APR", "apr", date(2025, 10, 1), date(2026, 9, 1), "2025Oct"),
    ],
)
def test_each_kind_of_period_and_its_dhis2_name(key, kind, first, last, dhis2):
    period = period_parse(key)
    assert (period.kind, period.first_month, period.last_month) == (kind, first, last)
    assert dhis2_period(period.first_month, period.last_month) == dhis2
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    assert adx_period(first, last) == f"{first:%Y-%m-%d}/P{months}M"
    assert period.label


@pytest.mark.parametrize(
    "key", ["", "2026-13", "GFY2025/27", "GFY2025/26-Q5", "FY26-Q0", "FY26-XYZ", "2026", "x"]
)
def test_anything_else_is_refused(key):
    with pytest.raises(ValueError):
        period_parse(key)


def test_the_lists_offer_the_periods_that_have_begun():
    today = date(2026, 2, 14)
    groups = dict(period_choices(today))
    keys = {p.key for periods in groups.values() for p in periods}
    assert {"2026-02", "GFY2025/26", "GFY2025/26-Q3", "FY26-Q2", "FY26-SAPR", "FY26-APR"} <= keys
    assert "GFY2025/26-Q4" not in keys and "FY26-Q3" not in keys  # not begun yet
    assert period_default(today).key == "GFY2025/26"


@pytest.mark.django_db
def test_dashboards_and_exports_take_a_period_from_the_list(world, national_lists):
    from national_statistics.drain import drain_organisation

    opened(world.acme, 6)
    drain_organisation(world.acme)
    analyst = client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))
    page = analyst.get("/statistics/")
    html = page.content.decode()
    assert 'type="month"' not in html and 'data-testid="period"' in html
    assert page.context["period"] == period_default(date.today())
    assert page.context["board"].headline["case_opened"] == 6
    this_month = date.today().strftime("%Y-%m")
    assert (
        analyst.get("/statistics/", {"period": this_month}).context["board"].headline["case_opened"]
        == 6
    )
    old = analyst.get("/statistics/", {"period": "GFY2019/20"}).context["board"]
    assert old.headline["case_opened"] == 0
    key = period_default(date.today()).key
    assert f"county=042&{urlencode({'period': key})}" in html  # drill-down keeps it
    response = analyst.post("/statistics/exports/", {"export_format": "csv", "period": this_month})
    job = ExportJob.objects.latest("id")
    assert response.status_code == 302 and job.period == this_month
    assert (job.month_from, job.month_to) == (date.today().replace(day=1),) * 2
    before = ExportJob.objects.count()
    analyst.post("/statistics/exports/", {"export_format": "csv", "period": "GFY2025/99"})
    assert ExportJob.objects.count() == before
    # a MER report refuses a period PEPFAR does not report (a government year)
    analyst.post(
        "/statistics/exports/",
        {"export_format": "csv", "report": "ovc_serv", "period": "GFY2025/26"},
    )
    assert ExportJob.objects.count() == before
    analyst.post(
        "/statistics/exports/",
        {"export_format": "csv", "report": "ovc_serv", "period": "FY26-SAPR"},
    )
    assert ExportJob.objects.latest("id").period == "FY26-SAPR"
