"""The case-load summary counts children beside cases: a child with cases in two
organisations is two cases and one child nationally, on screen, in CSV/XLSX and the API,
released to each reader's audience like every other cell."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from national_statistics.definitions import report_build
from national_statistics.drain import drain_organisation
from national_statistics.models import ExportJob
from national_statistics.reports import release, suppressed
from national_statistics.selectors import StatisticsScope
from national_statistics.suppression import SUPPRESSED, TOTAL
from tenants.models import PlatformRole
from tests.case_apps.conftest import make_child, open_case
from tests.conftest import client_on
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_child_two_organisations(world, national_lists):
    """One registry child with a case in acme and a case in beta (this month), and another
    child with a case in acme only."""
    reported = timezone.localdate() - timedelta(days=1)
    shared = make_child("Shared", "Child")
    open_case(world.acme, world.acme_worker, child=shared, date_reported=reported)
    open_case(world.beta, world.beta_worker, child=shared, date_reported=reported)
    open_case(
        world.acme, world.acme_worker, child=make_child("Only", "Acme"), date_reported=reported
    )
    drain_organisation(world.acme)
    drain_organisation(world.beta)
    month = reported.replace(day=1)
    return month, month.strftime("%Y-%m")


def row(body: dict, code: str) -> dict:
    return next(r for r in body["rows"] if r["code"] == code)


def test_the_nation_counts_one_child_and_two_cases(world, one_child_two_organisations):
    month, _ = one_child_two_organisations
    national = report_build("case_load_summary", StatisticsScope(), month, month)
    assert national.cell("cases_opened", TOTAL) == 3
    assert national.cell("children", TOTAL) == 2  # the shared child once
    assert national.cell("children", "SFEM|6-10") == ""  # counted as a whole, not by column
    assert national.cell(TOTAL, TOTAL) == 3  # the children row is beside the total
    acme = report_build(
        "case_load_summary", StatisticsScope(organisation_id=world.acme.pk), month, month
    )
    beta = report_build(
        "case_load_summary", StatisticsScope(organisation_id=world.beta.pk), month, month
    )
    assert (acme.cell("cases_opened", TOTAL), acme.cell("children", TOTAL)) == (2, 2)
    assert (beta.cell("cases_opened", TOTAL), beta.cell("children", TOTAL)) == (1, 1)
    # released: small children totals are hidden like every cell, large ones kept
    assert suppressed(national).cell("children", TOTAL) == SUPPRESSED
    assert release(national, "analyst").cell("children", TOTAL) == 2
    national.values[("children", TOTAL)] = 7
    assert suppressed(national).cell("children", TOTAL) == 7


def test_children_on_screen_and_in_the_api_by_audience(world, one_child_two_organisations):
    _, period = one_child_two_organisations
    analyst = client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))
    page = analyst.get("/statistics/reports/case_load_summary/", {"period": period})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-row="children"' in html
    children_line = next(line for line in page.context["lines"] if line["code"] == "children")
    assert children_line["total"] == 2 and set(children_line["cells"]) == {""}
    admin = client_on(None, world.hq_admin).get(
        "/statistics/reports/case_load_summary/", {"period": period}
    )
    hidden = next(line for line in admin.context["lines"] if line["code"] == "children")
    assert hidden["total"] == SUPPRESSED

    api = "/api/v1/statistics/reports/case_load_summary"
    body = analyst.get(api, {"period": period}).json()
    assert row(body, "children")["total"] == 2 and row(body, "cases_opened")["total"] == 3
    assert row(body, "children")["in_total"] is False
    member = client_on(world.beta, world.beta_worker)
    own = member.get(api, {"period": period}).json()
    assert row(own, "children")["total"] == 1  # beta's own child, as it is
    national = member.get(api, {"period": period, "area": "national"}).json()
    assert row(national, "children")["total"] == SUPPRESSED


def test_children_in_csv_and_xlsx(world, one_child_two_organisations):
    _, period = one_child_two_organisations
    member = client_on(world.acme, world.acme_worker)
    for export_format in ("csv", "xlsx"):
        member.post(
            "/statistics/exports/",
            {
                "report": "case_load_summary",
                "export_format": export_format,
                "period": period,
                "purpose": "internal",
            },
        )
        job = ExportJob.objects.latest("id")
        assert job.status == "done", job.error
        content = b"".join(member.get(f"/statistics/exports/{job.pk}/download/").streaming_content)
        if export_format == "csv":
            rows = list(csv.reader(io.StringIO(content.decode())))
        else:
            sheet = load_workbook(io.BytesIO(content)).active
            rows = [
                [str(c) if c is not None else "" for c in r]
                for r in sheet.iter_rows(values_only=True)
            ]
        children = next(r for r in rows if r[1] == "children")
        cases = next(r for r in rows if r[1] == "cases_opened")
        assert children[-1] == "2" and cases[-1] == "2"  # acme's own: two children, two cases
        assert set(children[2:-1]) == {""}
