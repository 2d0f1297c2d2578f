"""OVC_SERV from facts equals the hand count."""

from datetime import date, datetime, time

import pytest
from django.db import transaction
from django.utils import timezone

from case_apps.outbox.services import outbox_event_record
from national_statistics.drain import drain_organisation
from national_statistics.mer import UNDER_18_BANDS, ovc_hivstat, ovc_serv
from national_statistics.reports import SEXES
from national_statistics.selectors import StatisticsScope
from tenants.schema import workspace_context
from tests.conftest import client_on

pytestmark = pytest.mark.django_db
SAPR = (date(2025, 10, 1), date(2026, 3, 1))  # October 2025 to March 2026


def event(kind: str, ref: str, on: date, *, sex="SFEM", age="10-14", category="") -> None:
    outbox_event_record(
        kind=kind,
        occurred_at=timezone.make_aware(datetime.combine(on, time(12))),
        payload={
            "case_ref": ref,
            "sex": sex,
            "age_band": age,
            "category": category,
            "programme": "POVC",
            "county": "047",
        },
    )


@pytest.fixture
def beneficiaries(world):
    with workspace_context(world.acme), transaction.atomic():
        # a: enrolled before, served in both quarters -> active
        event("ovc_enrolled", "a", date(2025, 3, 1))
        event("ovc_service", "a", date(2025, 11, 5), category="healthy")
        event("ovc_service", "a", date(2026, 2, 5), category="safe")
        # b: served in the last quarter only, enrolled long before -> not counted
        event("ovc_enrolled", "b", date(2025, 1, 1), sex="SMAL")
        event("ovc_service", "b", date(2026, 3, 3), sex="SMAL")
        # c: new in the last quarter and served in it -> active
        event("ovc_enrolled", "c", date(2026, 1, 10), sex="SMAL", age="5-9")
        event("ovc_service", "c", date(2026, 1, 20), sex="SMAL", age="5-9")
        # d: graduated in the period -> graduated
        event("ovc_enrolled", "d", date(2024, 6, 1), age="15-17")
        event("ovc_exited", "d", date(2026, 2, 1), age="15-17", category="ERCP")
        # e: transferred out in the period -> exited without graduation
        event("ovc_enrolled", "e", date(2024, 6, 1))
        event("ovc_exited", "e", date(2025, 12, 1), category="ERTR")
        # f: exited before the period -> nothing
        event("ovc_enrolled", "f", date(2024, 6, 1))
        event("ovc_exited", "f", date(2025, 8, 1), category="ERDO")
    drain_organisation(world.acme)


def test_ovc_serv_equals_the_hand_count(world, beneficiaries):
    report = ovc_serv(StatisticsScope(), *SAPR)
    assert report.cell("active", "__total__") == 2
    assert report.cell("active", "SFEM|10-14") == 1 and report.cell("active", "SMAL|5-9") == 1
    assert report.cell("graduated", "SFEM|15-17") == 1
    assert report.cell("exited", "__total__") == 1
    # OVC_SERV = active + graduated; the exit without graduation is reported beside it
    assert report.cell("__total__", "__total__") == 3
    assert [key for key, _ in report.beside_rows] == ["exited"]


def test_ovc_serv_needs_a_pepfar_period(world):
    with pytest.raises(ValueError):
        ovc_serv(StatisticsScope(), date(2026, 1, 1), date(2026, 6, 1))


def test_ovc_serv_scoped_to_an_organisation(world, beneficiaries):
    assert (
        ovc_serv(StatisticsScope(organisation_id=world.beta.pk), *SAPR).cell(
            "__total__", "__total__"
        )
        == 0
    )


def test_ovc_serv_export_with_suppression(world, beneficiaries):
    from tenants.models import PlatformRole
    from tests.conftest import client_on
    from tests.factories import UserFactory

    analyst = client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))
    response = analyst.post(
        "/statistics/exports/",
        {"report": "ovc_serv", "export_format": "csv", "from": "2025-10", "to": "2026-03"},
    )
    assert response.status_code == 302
    from national_statistics.models import ExportJob

    job = ExportJob.objects.latest("id")
    content = b"".join(analyst.get(f"/statistics/exports/{job.pk}/download/").streaming_content)
    lines = content.decode().splitlines()
    assert lines[0].startswith("OVC_SERV") and lines[1].startswith("Active")
    assert "<5" in lines[1]  # counts of 1 and 2 never leave the platform
    bad = analyst.post(
        "/statistics/exports/",
        {"report": "ovc_serv", "export_format": "csv", "from": "2026-01", "to": "2026-06"},
    )
    assert bad.status_code == 302 and ExportJob.objects.count() == 1


@pytest.fixture
def young_adults(world):
    """Active beneficiaries of 18 and over, in and out of school, and a graduate."""
    with workspace_context(world.acme), transaction.atomic():
        for ref, band, school in (
            ("g", "18-20", "SLNS"),  # 18+ out of school -> left out
            ("h", "21+", "SLNS"),  # 21+ out of school -> left out
            ("i", "18-20", "SLSE"),  # 18+ in school -> active
            ("j", "15-17", "SLNS"),  # under 18 out of school -> active
            ("k", "18-20", ""),  # no school fact recorded -> active
        ):
            event("ovc_enrolled", ref, date(2025, 3, 1), age=band)
            if school:
                event("ovc_school_status", ref, date(2025, 3, 1), age=band, category=school)
            event("ovc_service", ref, date(2025, 11, 5), age=band)
            event("ovc_service", ref, date(2026, 2, 5), age=band)
        # l: 18+ back in school after being out -> active (school as known at period end)
        event("ovc_enrolled", "l", date(2025, 3, 1), age="18-20")
        event("ovc_school_status", "l", date(2025, 3, 1), age="18-20", category="SLNS")
        event("ovc_service", "l", date(2025, 11, 5), age="18-20")
        event("ovc_school_status", "l", date(2026, 1, 5), age="18-20", category="SLTV")
        event("ovc_service", "l", date(2026, 2, 5), age="18-20")
        # m: 18+ out of school who graduates in the period -> still graduated
        event("ovc_enrolled", "m", date(2024, 6, 1), age="18-20")
        event("ovc_school_status", "m", date(2024, 6, 1), age="18-20", category="SLNS")
        event("ovc_graduated", "m", date(2026, 2, 1), age="18-20", category="ERCP")
        # n: went out of school only after the period ended -> active
        event("ovc_enrolled", "n", date(2025, 3, 1), age="18-20")
        event("ovc_service", "n", date(2025, 11, 5), age="18-20")
        event("ovc_service", "n", date(2026, 2, 5), age="18-20")
        event("ovc_school_status", "n", date(2026, 4, 5), age="18-20", category="SLNS")
    drain_organisation(world.acme)


def test_ovc_serv_leaves_out_actives_of_18_and_over_out_of_school(world, young_adults):
    report = ovc_serv(StatisticsScope(), *SAPR)
    assert report.cell("active", "SFEM|21+") == 0
    assert report.cell("active", "SFEM|18-20") == 4  # i, k, l, n; not g
    assert report.cell("active", "SFEM|15-17") == 1  # j
    assert report.cell("graduated", "SFEM|18-20") == 1  # m
    assert report.cell("active", "__total__") == 5


def test_hand_count_unchanged_by_the_exclusion(world, beneficiaries, young_adults):
    report = ovc_serv(StatisticsScope(), *SAPR)
    assert report.cell("active", "__total__") == 2 + 5
    assert report.cell("graduated", "__total__") == 1 + 1
    assert report.cell("exited", "__total__") == 1


def test_mer_periods_are_sapr_apr_or_one_quarter(world):
    from national_statistics.mer import check_mer_period

    for period in (
        SAPR,
        (date(2025, 10, 1), date(2026, 9, 1)),
        (date(2026, 1, 1), date(2026, 3, 1)),
    ):
        check_mer_period(*period)
    for period in (
        (date(2026, 2, 1), date(2026, 4, 1)),  # three months, not a quarter
        (date(2026, 1, 1), date(2026, 6, 1)),  # six months, not October to March
        (date(2026, 1, 1), date(2026, 12, 1)),  # a calendar year
    ):
        with pytest.raises(ValueError):
            check_mer_period(*period)


def beneficiary(ref: str, *, age: str, sex: str = "SFEM", statuses=(), enrolled=date(2025, 3, 1)):
    """An active beneficiary (served in both quarters of the SAPR) with HIV facts."""
    event("ovc_enrolled", ref, enrolled, sex=sex, age=age)
    for on, kind, category in statuses:
        event(kind, ref, on, sex=sex, age=age, category=category)
    event("ovc_service", ref, date(2025, 11, 5), sex=sex, age=age)
    event("ovc_service", ref, date(2026, 2, 5), sex=sex, age=age)


STATUS, NOT_REQUIRED = "ovc_hiv_status", "ovc_hiv_test_not_required"


@pytest.fixture
def hiv_statuses(world):
    with workspace_context(world.acme), transaction.atomic():
        beneficiary("p", age="10-14", statuses=[(date(2025, 3, 1), STATUS, "negative")])
        beneficiary(
            "q",
            age="5-9",
            sex="SMAL",
            statuses=[(date(2025, 3, 1), STATUS, "unknown"), (date(2025, 12, 1), NOT_REQUIRED, "")],
        )
        beneficiary(
            "r",
            age="15-17",
            statuses=[
                (date(2025, 3, 1), STATUS, "unknown"),
                (date(2025, 11, 1), STATUS, "positive_no_art"),
                (date(2026, 1, 10), STATUS, "positive_on_art"),
            ],
        )
        beneficiary(  # a positive stays positive whatever a later screening says
            "s",
            age="10-14",
            statuses=[
                (date(2025, 3, 1), STATUS, "positive_no_art"),
                (date(2026, 1, 3), NOT_REQUIRED, ""),
            ],
        )
        beneficiary("t", age="1-4", sex="SMAL", statuses=[(date(2025, 3, 1), STATUS, "unknown")])
        beneficiary(  # positive only after the period ended: negative at its end
            "x",
            age="10-14",
            statuses=[
                (date(2025, 3, 1), STATUS, "negative"),
                (date(2026, 4, 10), STATUS, "positive_on_art"),
            ],
        )
        # 18 and over: in OVC_SERV, not in OVC_HIVSTAT
        beneficiary("w", age="18-20", statuses=[(date(2025, 3, 1), STATUS, "negative")])
        # u graduated in the period (counted); v exited without graduation (not counted)
        for ref, kind, reason in (("u", "ovc_graduated", "ERCP"), ("v", "ovc_exited", "ERRL")):
            event("ovc_enrolled", ref, date(2024, 6, 1), age="15-17")
            event(STATUS, ref, date(2024, 6, 1), age="15-17", category="negative")
            event(kind, ref, date(2026, 2, 1), age="15-17", category=reason)
        # y: served in the last quarter only -> not in OVC_SERV
        event("ovc_enrolled", "y", date(2025, 1, 1), sex="SMAL")
        event(STATUS, "y", date(2025, 1, 1), sex="SMAL", category="negative")
        event("ovc_service", "y", date(2026, 3, 3), sex="SMAL")
    drain_organisation(world.acme)


def test_ovc_hivstat_equals_the_hand_count(world, hiv_statuses):
    report = ovc_hivstat(StatisticsScope(), *SAPR)
    assert [key for key, _ in report.rows] == [
        "hiv_positive_on_art",
        "hiv_positive_no_art",
        "hiv_negative",
        "hiv_not_required",
        "hiv_unknown",
    ]
    assert report.cell("hiv_positive_on_art", "SFEM|15-17") == 1  # r
    assert report.cell("hiv_positive_no_art", "SFEM|10-14") == 1  # s
    assert report.cell("hiv_negative", "SFEM|10-14") == 2  # p, x
    assert report.cell("hiv_negative", "SFEM|15-17") == 1  # u
    assert report.cell("hiv_not_required", "SMAL|5-9") == 1  # q
    assert report.cell("hiv_unknown", "SMAL|1-4") == 1  # t
    assert report.cell("__total__", "__total__") == 7
    assert not [c for c, _ in report.columns if c.endswith(("18-20", "21+", "unknown"))]
    serv = ovc_serv(StatisticsScope(), *SAPR)
    under_18 = sum(
        serv.cell(row, f"{sex}|{band}")
        for row in ("active", "graduated")
        for sex, _ in SEXES
        for band in UNDER_18_BANDS
    )
    assert under_18 == report.cell("__total__", "__total__")


def test_ovc_hivstat_scopes_and_periods(world, hiv_statuses):
    assert ovc_hivstat(StatisticsScope(county="047"), *SAPR).cell("__total__", "__total__") == 7
    assert ovc_hivstat(StatisticsScope(county="042"), *SAPR).cell("__total__", "__total__") == 0
    beta = StatisticsScope(organisation_id=world.beta.pk)
    assert ovc_hivstat(beta, *SAPR).cell("__total__", "__total__") == 0
    quarter = ovc_hivstat(StatisticsScope(), date(2026, 1, 1), date(2026, 3, 1))
    assert quarter.cell("__total__", "__total__") == 7  # same last two quarters
    with pytest.raises(ValueError):
        ovc_hivstat(StatisticsScope(), date(2026, 1, 1), date(2026, 6, 1))


def test_ovc_hivstat_export_suppressed_in_every_format(world, hiv_statuses):
    from national_statistics.exports import to_csv, to_dhis2
    from national_statistics.reports import suppressed
    from national_statistics.services import dhis2_mapping_replace
    from tenants.actor import Actor

    safe = suppressed(ovc_hivstat(StatisticsScope(), *SAPR))
    lines = to_csv(safe).decode().splitlines()
    assert lines[0].startswith("OVC_HIVSTAT") and lines[3].startswith("HIV-")
    assert "<5" in lines[3] and ",2," not in lines[3]
    dhis2_mapping_replace(
        actor=Actor(user=world.hq_admin),
        text="org_unit,national,HfVjCurKxh2\n"
        "data_element,hiv_negative,Hneg0000001\n"
        "category_option_combo,SFEM|10-14,Cfem1014001\n",
    )
    document, note = to_dhis2(
        safe, month_from=SAPR[0], month_to=SAPR[1], org_unit="HfVjCurKxh2", data_set="Dset0000001"
    )
    import json

    body = json.loads(document)
    assert body["period"] == "2025AprilS2" and body["dataValues"] == []  # 2 is never sent
    assert "suppressed" in note


def test_ovc_hivstat_from_the_reports_page_to_dhis2(world, hiv_statuses):
    import json

    from national_statistics.models import ExportJob
    from national_statistics.services import dhis2_mapping_replace
    from tenants.actor import Actor
    from tenants.models import PlatformRole
    from tests.conftest import client_on
    from tests.factories import UserFactory

    dhis2_mapping_replace(
        actor=Actor(user=world.hq_admin),
        text="org_unit,national,HfVjCurKxh2\n"
        "data_set,ovc_hivstat,Dset0000001\n"
        "data_element,hiv_negative,Hneg0000001\n"
        "data_element,hiv_positive_on_art,Hpos0000001\n"
        "category_option_combo,SFEM|10-14,Cfem1014001\n"
        "category_option_combo,SFEM|15-17,Cfem1517001\n",
    )
    analyst = client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))
    page = analyst.get("/statistics/")
    assert b'value="ovc_hivstat"' in page.content
    response = analyst.post(
        "/statistics/exports/",
        {"report": "ovc_hivstat", "export_format": "json", "from": "2025-10", "to": "2026-03"},
    )
    job = ExportJob.objects.latest("id")
    assert response.status_code == 302 and job.report == "ovc_hivstat"
    assert b"OVC_HIVSTAT" in analyst.get(response["Location"]).content
    content = b"".join(analyst.get(f"/statistics/exports/{job.pk}/download/").streaming_content)
    document = json.loads(content)
    assert document["period"] == "2025AprilS2"
    assert document["dataValues"] == []  # every mapped cell is below 5: nothing leaves
    assert "suppressed" in ExportJob.objects.get(pk=job.pk).note
    bad = analyst.post(
        "/statistics/exports/",
        {"report": "ovc_hivstat", "export_format": "csv", "from": "2026-02", "to": "2026-04"},
    )
    assert bad.status_code == 302 and ExportJob.objects.count() == 1
    # a partner's own figures from its workspace: the same report, its own scope only
    member = client_on(world.beta, world.beta_worker)
    response = member.post(
        "/statistics/exports/",
        {"report": "ovc_hivstat", "export_format": "csv", "from": "2026-01", "to": "2026-03"},
    )
    job = ExportJob.objects.latest("id")
    assert response.status_code == 302 and job.organisation_id == world.beta.pk
    lines = b"".join(member.get(f"/statistics/exports/{job.pk}/download/").streaming_content)
    assert lines.decode().splitlines()[-1].endswith(",0")  # acme's children are not beta's


def test_dhis2_mapping_page_names_the_mer_keys(world):
    page = client_on(None, world.hq_admin).get("/statistics/dhis2-mapping/")
    assert page.status_code == 200
    assert b"hiv_not_required" in page.content and b"graduated" in page.content


def test_a_partner_checks_its_own_mer_figures_and_publishes_them_suppressed(world, beneficiaries):
    """Issue 12: in its own workspace every cell used to show "<5". Its own OVC_SERV now
    comes out as it is, Total = OVC_SERV (active + graduated, the exit reported beside it);
    for publication the same file hides small counts."""
    import csv
    import io

    from national_statistics.models import ExportJob

    member = client_on(world.acme, world.acme_worker)
    tables = {}
    for purpose in ("internal", "publish"):
        member.post(
            "/statistics/exports/",
            {
                "report": "ovc_serv",
                "export_format": "csv",
                "period": "FY26-SAPR",
                "purpose": purpose,
            },
        )
        job = ExportJob.objects.latest("id")
        assert job.status == "done" and job.organisation_id == world.acme.pk
        body = b"".join(member.get(f"/statistics/exports/{job.pk}/download/").streaming_content)
        tables[purpose] = {r[0]: r for r in csv.reader(io.StringIO(body.decode()))}
    own = tables["internal"]
    assert [own["Active"][-1], own["Graduated"][-1], own["Total"][-1]] == ["2", "1", "3"]
    assert own["Exited without graduation"][-1] == "1"
    assert not any("<5" in cell for row in own.values() for cell in row)
    published = tables["publish"]
    assert published["Total"][-1] == "<5" and published["Active"][-1] == "<5"
