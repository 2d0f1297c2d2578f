"""The standard reports, each declared once, as screens, CSV and XLSX, for an organisation,
a sub-county, a county and the nation, released to each reader's audience."""

import csv
import io
from datetime import date, datetime, time

import pytest
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from case_apps.outbox.services import outbox_event_record
from national_statistics.definitions import REPORTS, report_build
from national_statistics.models import ExportJob
from national_statistics.selectors import StatisticsScope
from tenants.models import PlatformRole
from tenants.schema import workspace_context
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.national_statistics.test_dashboard import opened

pytestmark = pytest.mark.django_db
THIS_MONTH = date.today().replace(day=1)
MONTH = THIS_MONTH.strftime("%Y-%m")


def ovc_event(kind: str, ref: str, *, category: str = "", sex="SFEM", age="10-14") -> None:
    outbox_event_record(
        kind=kind,
        occurred_at=timezone.make_aware(datetime.combine(THIS_MONTH, time(12))),
        payload={
            "case_ref": ref,
            "sex": sex,
            "age_band": age,
            "category": category,
            "programme": "POVC",
            "county": "047",
            "sub_county": "274",
        },
    )


@pytest.fixture
def figures(world, national_lists):
    """acme (Kisumu 042/240): 6 neglect, 3 defilement, 2 custody cases, 1 closed as a
    transfer; beta (Nairobi 047/274): OVC enrolments, exits and graduations."""
    from national_statistics.drain import drain_organisation

    opened(world.acme, 6, category="CSIC")
    opened(world.acme, 3, category="CCDF", sex="SMAL", age_band="11-15")
    opened(world.acme, 2, category="CCCP")
    with workspace_context(world.acme), transaction.atomic():
        outbox_event_record(
            kind="case_closed",
            payload={"category": "COTR", "sex": "SFEM", "age_band": "6-10", "county": "042"},
        )
    with workspace_context(world.beta), transaction.atomic():
        for i in range(7):
            ovc_event("ovc_enrolled", f"b{i}")
        ovc_event("ovc_exited", "b0", category="ERRL")
        ovc_event("ovc_graduated", "b1", category="ERCP")
        ovc_event("ovc_graduated", "b2", category="ERCP", sex="SMAL", age="15-17")
        for kind in ("transfer_in", "transfer_out", "transfer_out"):
            outbox_event_record(
                kind=kind,
                payload={"category": "COTR", "sex": "SMAL", "age_band": "6-10", "county": "042"},
            )
    drain_organisation(world.acme)
    drain_organisation(world.beta)


def test_every_report_is_a_declaration_that_builds(world, figures):
    for key in REPORTS:
        period = (date(2025, 10, 1), date(2025, 12, 1))  # a quarter: MER reports take it
        report = report_build(key, StatisticsScope(), *period)
        assert report.title and report.columns


def test_case_load_summary_vac_and_closures_count_by_code(world, figures):
    scope = StatisticsScope()
    summary = report_build("case_load_summary", scope, THIS_MONTH, THIS_MONTH)
    assert summary.cell("CSIC", "__total__") == 6 and summary.cell("CCCP", "__total__") == 2
    assert summary.cell("cases_opened", "__total__") == 11
    vac = report_build("vac", scope, THIS_MONTH, THIS_MONTH)
    assert {code for code, _ in vac.rows} == {"CCDF", "CSIC"}
    assert vac.cell("__total__", "__total__") == 9  # custody is not violence against children
    closures = report_build("case_closures", scope, THIS_MONTH, THIS_MONTH)
    assert closures.cell("COTR", "__total__") == 1
    assert closures.cell("transferred_out", "__total__") == 1
    transfers = report_build("transfers", scope, THIS_MONTH, THIS_MONTH)
    assert transfers.cell("transfer_in", "SMAL|6-10") == 1
    assert transfers.cell("transfer_out", "__total__") == 2
    exits = report_build("ovc_exits", scope, THIS_MONTH, THIS_MONTH)
    assert exits.cell("ERRL", "SFEM|10-14") == 1 and exits.cell("ERCP", "__total__") == 2
    graduation = report_build("ovc_graduation", scope, THIS_MONTH, THIS_MONTH)
    assert [code for code, _ in graduation.rows] == ["ERCP"]
    assert graduation.cell("ERCP", "SMAL|15-17") == 1
    registration = report_build("ovc_registration", scope, THIS_MONTH, THIS_MONTH)
    assert registration.cell("POVC", "SFEM|10-14") == 7
    county = report_build("vac", StatisticsScope(county="047"), THIS_MONTH, THIS_MONTH)
    assert county.cell("__total__", "__total__") == 0
    sub_county_scope = StatisticsScope(county="042", sub_county="240")
    sub_county = report_build("vac", sub_county_scope, THIS_MONTH, THIS_MONTH)
    assert sub_county.cell("__total__", "__total__") == 9


def screen(client, key: str, **params):
    return client.get(f"/statistics/reports/{key}/", {"period": MONTH, **params})


def test_report_screens_as_each_role(world, figures):
    member = client_on(world.acme, world.acme_worker)
    for key in ("case_load_summary", "vac", "case_closures"):
        page = screen(member, key)
        assert page.status_code == 200 and page.context["audience"] == "own"
    own = screen(member, "vac").content.decode()
    assert "<code>CCDF</code>" in own and "Defilement" in own and "<td>3</td>" in own
    analyst = client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))
    for params in ({}, {"county": "042"}, {"county": "042", "sub_county": "240"}):
        page = screen(analyst, "vac", **params)
        assert page.status_code == 200 and "<td>3</td>" in page.content.decode()
    admin = screen(client_on(None, world.hq_admin), "vac", county="042").content.decode()
    assert "&lt;5" in admin and "<td>3</td>" not in admin
    assert (
        "<td>3</td>" not in screen(client_on(world.beta, world.beta_worker), "vac").content.decode()
    )
    assert screen(client_on(world.acme, world.beta_worker), "vac").status_code == 403
    assert screen(client_on(None, world.outsider), "vac").status_code == 403
    assert screen(client_on(None), "vac").status_code == 302
    assert screen(analyst, "no_such_report").status_code == 404
    # a MER report for a period PEPFAR does not report: a message, not an error page
    page = screen(analyst, "ovc_serv", period="GFY2025/26")
    assert page.status_code == 200 and b'data-testid="report-error"' in page.content
    dashboard = analyst.get("/statistics/", {"period": MONTH}).content.decode()
    assert "/statistics/reports/vac/?period=" in dashboard


def test_new_reports_export_as_csv_and_xlsx_with_codes_beside_labels(world, figures):
    member = client_on(world.acme, world.acme_worker)
    for export_format in ("csv", "xlsx"):
        member.post(
            "/statistics/exports/",
            {
                "report": "vac",
                "export_format": export_format,
                "period": MONTH,
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
        assert rows[0][:2] == ["Case category", "Code"]
        assert {tuple(r[:2]) for r in rows[1:-1]} == {("Defilement", "CCDF"), ("Neglect", "CSIC")}
        assert rows[-1][0] == "Total" and rows[-1][-1] == "9"
