"""Reports leave the platform suppressed: CSV, XLSX, DHIS2 dataValueSets, built in the
background with a progress page and a download link."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from national_statistics import exports, reports
from national_statistics.definitions import report_build
from national_statistics.models import Dhis2Mapping, ExportJob
from national_statistics.selectors import StatisticsScope
from national_statistics.services import dhis2_mapping_replace
from national_statistics.suppression import SUPPRESSED
from tenants.actor import Actor
from tenants.models import PlatformRole
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.national_statistics.test_dashboard import opened

pytestmark = pytest.mark.django_db
THIS_MONTH = date.today().replace(day=1)


@pytest.fixture
def figures(world):
    from national_statistics.drain import drain_organisation

    opened(world.acme, 12, category="CSIC", sex="SFEM", age_band="6-10")
    opened(world.acme, 3, category="CCDF", sex="SFEM", age_band="11-15")
    opened(world.acme, 9, category="CCDF", sex="SMAL", age_band="11-15")
    drain_organisation(world.acme)


def test_case_load_summary_counts_and_suppresses(world, figures, national_lists):
    report = report_build("case_load_summary", StatisticsScope(), THIS_MONTH, THIS_MONTH)
    assert report.cell("CSIC", "SFEM|6-10") == 12
    assert report.cell("CCDF", "SFEM|11-15") == 3
    safe = reports.suppressed(report)
    assert safe.cell("CCDF", "SFEM|11-15") == SUPPRESSED
    row = [safe.cell("CCDF", c) for c, _ in safe.columns] + [safe.cell("CCDF", "__total__")]
    assert row.count(SUPPRESSED) >= 2  # its complement is hidden too
    rows = list(csv.reader(io.StringIO(exports.to_csv(safe).decode())))
    # beside the cases (issue 17: interventions, reopenings, cases with one and their share)
    beside = ["cases_opened", "interventions", "cases_reopened", "children"]
    beside += ["cases_with_intervention", "with_intervention_pct"]
    assert rows[0][:2] == ["Case category", "Code"] and rows[-7][0] == "Total"
    assert [line[1] for line in rows[-6:]] == beside
    assert rows[-6][:2] == ["Cases opened", "cases_opened"] and rows[-6][-1] == "24"
    assert [line[:2] for line in rows if line[1] == "CSIC"][0] == ["Neglect", "CSIC"]
    assert "3" not in [cell for line in rows for cell in line if cell == "3"]


def test_unsuppressed_reports_cannot_be_exported(world, figures):
    report = report_build("case_load_summary", StatisticsScope(), THIS_MONTH, THIS_MONTH)
    with pytest.raises(exports.ExportError):
        exports.to_csv(report)  # not released to any audience
    with pytest.raises(exports.ExportError):  # DHIS2 takes only suppressed reports
        exports.to_dhis2(
            reports.release(report, "analyst"),
            month_from=THIS_MONTH,
            month_to=THIS_MONTH,
            org_unit="HfVjCurKxh2",
            data_set="Dddddddddd1",
        )


def test_dhis2_periods():
    assert exports.dhis2_period(date(2026, 3, 1), date(2026, 3, 1)) == "202603"
    assert exports.dhis2_period(date(2026, 4, 1), date(2026, 6, 1)) == "2026Q2"
    assert exports.dhis2_period(date(2026, 1, 1), date(2026, 12, 1)) == "2026"
    assert exports.dhis2_period(date(2025, 7, 1), date(2026, 6, 1)) == "2025July"
    # PEPFAR: SAPR October-March is the April-based second half, APR the October year
    assert exports.dhis2_period(date(2025, 10, 1), date(2026, 3, 1)) == "2025AprilS2"
    assert exports.dhis2_period(date(2025, 10, 1), date(2026, 9, 1)) == "2025Oct"
    assert exports.dhis2_period(date(2026, 4, 1), date(2026, 9, 1)) == "2026AprilS1"
    assert exports.dhis2_period(date(2026, 1, 1), date(2026, 6, 1)) == "2026S1"
    assert exports.dhis2_period(date(2026, 7, 1), date(2026, 12, 1)) == "2026S2"
    with pytest.raises(exports.ExportError):
        exports.dhis2_period(date(2026, 2, 1), date(2026, 3, 1))


def test_dhis2_mapping_bad_lines_change_nothing(world):
    hq = Actor(user=world.hq_admin)
    dhis2_mapping_replace(actor=hq, text="org_unit,national,HfVjCurKxh2\n")
    with pytest.raises(ValidationError) as error:
        dhis2_mapping_replace(actor=hq, text="data_element,CSIC,abc\nwrong,CSIC,HfVjCurKxh2\nx\n")
    messages = error.value.message_dict["text"]
    assert messages[0].startswith("line 1") and messages[1].startswith("line 2")
    assert messages[2].startswith("line 3")
    assert list(Dhis2Mapping.objects.values_list("key", flat=True)) == ["national"]


def test_export_job_from_the_dashboard_to_the_download(world, figures, national_lists):
    dhis2_mapping_replace(
        actor=Actor(user=world.hq_admin),
        text="\n".join(
            [
                "org_unit,national,HfVjCurKxh2",
                "data_set,case_load_summary,Dddddddddd1",
                "data_element,CSIC,Aaaaaaaaaa1",
                "data_element,CCDF,Aaaaaaaaaa2",
                "category_option_combo,SFEM|6-10,Cccccccccc1",
                "category_option_combo,SMAL|11-15,Cccccccccc2",
            ]
        ),
    )
    analyst = client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))
    month = THIS_MONTH.strftime("%Y-%m")
    for export_format in ("csv", "xlsx", "json"):
        response = analyst.post(
            "/statistics/exports/", {"export_format": export_format, "from": month, "to": month}
        )
        assert response.status_code == 302
        job = ExportJob.objects.latest("id")
        page = analyst.get(response["Location"])
        assert page.status_code == 200 and b'data-status="done"' in page.content
        download = analyst.get(f"/statistics/exports/{job.pk}/download/")
        content = b"".join(download.streaming_content)
        if export_format == "xlsx":
            sheet = load_workbook(io.BytesIO(content)).active
            assert list(sheet.iter_rows(values_only=True))[0][0] == "Case category"
        elif export_format == "json":
            document = json.loads(content)
            assert document["period"] == THIS_MONTH.strftime("%Y%m")
            values = {
                (v["dataElement"], v["categoryOptionCombo"]): v["value"]
                for v in document["dataValues"]
            }
            assert values[("Aaaaaaaaaa1", "Cccccccccc1")] == "12"
            assert ("Aaaaaaaaaa2", "Cccccccccc2") not in values  # hidden as a complement
        else:
            assert content.startswith(b"Case category")
    other = client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))
    assert other.get(f"/statistics/exports/{job.pk}/download/").status_code == 404


def test_exports_are_closed_to_others(world, figures):
    month = THIS_MONTH.strftime("%Y-%m")
    data = {"export_format": "csv", "from": month, "to": month}
    assert client_on(None, world.acme_admin).post("/statistics/exports/", data).status_code == 403
    assert client_on(None).post("/statistics/exports/", data).status_code == 403
    member = client_on(world.acme, world.acme_worker)
    response = member.post("/statistics/exports/", data)
    job = ExportJob.objects.latest("id")
    assert response.status_code == 302 and job.organisation_id == world.acme.pk
    assert (
        client_on(world.beta, world.beta_worker).get(f"/statistics/exports/{job.pk}/").status_code
        == 404
    )
