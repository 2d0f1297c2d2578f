"""The caseload at scale (issue 17's last point): the API list counts up to a cap and says so,
the counts need no sort, the workspace home's tiles come from one grouped read, and the
caseload's filter form lives with the other list filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from case_apps.cases import selectors, services
from case_apps.cases.forms_lists import CaseFilterForm
from case_apps.cases.models import CaseRecord, CaseStage
from tenants.api_input import MAX_LIMIT, MAX_OFFSET
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, closure_details, make_child, open_case
from tests.conftest import client_on

pytestmark = pytest.mark.django_db

CHILDREN = (("Amani", "Otieno"), ("Baraka", "Otieno"), ("Chebet", "Otieno"), ("Daudi", "Mwangi"))


def _open_four(world, team) -> list[CaseRecord]:
    return [open_case(world.acme, team.worker, make_child(f, s)) for f, s in CHILDREN]


# --- the API list's bounded count -----------------------------------------------------------
def test_the_api_counts_up_to_the_cap_and_says_it_stopped(world, team, monkeypatch):
    from cpims import pagination

    _open_four(world, team)
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    client = client_on(world.acme, world.acme_admin)
    body = client.get("/api/v1/cases", {"limit": 10}).json()
    # every case on the page, but the count stopped at the cap and says so
    assert (body["count"], body["count_is_capped"], len(body["items"])) == (3, True, 4)
    at_the_cap = client.get("/api/v1/cases", {"q": "Otieno"}).json()  # three: not more
    assert (at_the_cap["count"], at_the_cap["count_is_capped"]) == (3, False)
    one = client.get("/api/v1/cases", {"q": "Mwangi"}).json()
    assert (one["count"], one["count_is_capped"], len(one["items"])) == (1, False, 1)


def test_under_the_cap_the_api_count_is_exact_and_pages_with_limit_and_offset(world, team):
    cases = _open_four(world, team)
    client = client_on(world.acme, world.acme_admin)
    first = client.get("/api/v1/cases", {"limit": 3}).json()
    rest = client.get("/api/v1/cases", {"limit": 3, "offset": 3}).json()
    assert (first["count"], first["count_is_capped"]) == (4, False)
    assert (rest["count"], rest["count_is_capped"]) == (4, False)
    ids = [c["id"] for c in first["items"] + rest["items"]]
    assert sorted(ids) == sorted(c.pk for c in cases) and len(rest["items"]) == 1


def test_the_api_count_reads_no_sort(world, team):
    _open_four(world, team)
    client = client_on(world.acme, world.acme_admin)
    client.get("/api/v1/cases")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/cases", {"stage": "pending"}).status_code == 200
    counts = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*) FROM (SELECT")]
    assert len(counts) == 1 and "ORDER BY" not in counts[0] and "LIMIT 10001" in counts[0]


def test_the_api_documents_what_count_means(world):
    schema = client_on(world.acme, world.acme_admin).get("/api/v1/openapi.json").json()
    listed = schema["paths"]["/api/v1/cases"]["get"]
    assert "count_is_capped" in listed["description"]
    ref = listed["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    paged = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert "10,000" in paged["count"]["description"]
    assert paged["count_is_capped"]["type"] == "boolean"


@pytest.mark.parametrize(
    "query, field",
    [
        ({"limit": MAX_LIMIT + 1}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": MAX_OFFSET + 1}, "offset"),
        ({"offset": 10**20}, "offset"),
        ({"limit": "many"}, "limit"),
        ({"q": "x" * 201}, "q"),
        ({"stage": "s" * 65}, "stage"),
        ({"category": "C" * 17}, "category"),
    ],
)
def test_bad_paging_or_filters_are_a_422_naming_the_field(world, team, query, field):
    response = client_on(world.acme, world.acme_admin).get("/api/v1/cases", query)
    assert response.status_code == 422
    assert field in str(response.json())


def test_a_nul_byte_or_unknown_code_in_the_filters_finds_nothing_and_never_fails(world, team):
    _open_four(world, team)
    client = client_on(world.acme, world.acme_admin)
    for query in ({"q": "Ame\x00ni"}, {"category": "NOPE"}, {"stage": "nowhere"}):
        response = client.get("/api/v1/cases", query)
        assert response.status_code in (200, 422), query
        if response.status_code == 200:
            assert response.json()["count"] == 0, query


def test_the_api_list_is_isolated(world, team):
    _open_four(world, team)
    # another organisation's member, another workspace's admin, and nobody at all
    beta = client_on(world.beta, world.beta_worker).get("/api/v1/cases").json()
    assert (beta["count"], beta["count_is_capped"], beta["items"]) == (0, False, [])
    on_beta = client_on(world.beta, world.acme_admin).get("/api/v1/cases")
    assert on_beta.status_code in (401, 403, 404)
    assert client_on(world.acme).get("/api/v1/cases").status_code in (401, 403)
    # a member without the right to view cases (none in acme: the viewer may), on the
    # platform site
    assert client_on(None, world.acme_admin).get("/api/v1/cases").status_code in (401, 403, 404)


# --- the screen's count -----------------------------------------------------------------------
def test_the_caseload_count_reads_no_sort(world, team):
    _open_four(world, team)
    client = client_on(world.acme, world.acme_admin)
    client.get("/cases/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/cases/", {"q": "Otieno", "sort": "risk"}).content.decode()
    assert "3 cases" in page
    counts = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*) FROM (SELECT")]
    assert len(counts) == 1 and "ORDER BY" not in counts[0]


def test_the_caseload_filter_form_hands_its_filters_to_the_selector(world, team):
    officer = team.worker
    form = CaseFilterForm(
        {"q": " Otieno ", "stage": "pending", "risk_level": "RLHG", "officer": str(officer.pk)},
        officers=[officer],
    )
    filters = form.filters()
    assert (filters.search, filters.stage, filters.risk_level, filters.officer) == (
        "Otieno",
        "pending",
        "RLHG",
        officer.pk,
    )
    assert filters.sort == "-date_reported"
    wrong = CaseFilterForm({"stage": "nowhere", "q": "Otieno"}, officers=[officer])
    assert wrong.filters() == selectors.CaseFilters() and "stage" in wrong.errors
    assert CaseFilterForm(officers=[officer]).filters() == selectors.CaseFilters()


# --- the workspace home's tiles -------------------------------------------------------------
def _closure_requested(world, team, case: CaseRecord):
    with workspace_context(world.acme):
        return services.closure_request(
            case=case,
            actor=actor_of(world.acme, team.worker),
            closure_reason="COEN",
            notes="Child settled at home",
            **closure_details(case),
        )


def _summary(world, user) -> selectors.CaseloadSummary:
    with workspace_context(world.acme):
        return selectors.caseload_summary(actor=actor_of(world.acme, user))


def test_the_home_tiles_count_what_the_member_sees(world, team):
    amani, baraka, chebet, daudi = _open_four(world, team)  # the worker's, all high risk
    eli = open_case(world.acme, team.other_worker, make_child("Eli", "Kamau"), risk_level="RLLW")
    with workspace_context(world.acme):
        services.follow_up_record(
            actor=actor_of(world.acme, team.worker),
            case=baraka,
            follow_up_type="HVIS",
            date=timezone.localdate() - timedelta(days=1),
        )
        services.approval_decide(
            approval=_closure_requested(world, team, chebet),
            actor=actor_of(world.acme, team.supervisor),
            approve=True,
        )
    _closure_requested(world, team, daudi)  # still open while the supervisor decides
    with workspace_context(world.acme):
        statuses = dict(CaseRecord.objects.values_list("pk", "status"))
    assert (statuses[chebet.pk], statuses[daudi.pk]) == ("closed", "closure_requested")
    worker, admin, other = (
        _summary(world, user) for user in (team.worker, world.acme_admin, team.other_worker)
    )
    assert (worker.open_cases, worker.my_open_cases, worker.high_risk_open) == (3, 3, 3)
    assert worker.stages == {"pending": 2, "active": 1, "closed": 1, "reopened": 0}
    assert (admin.open_cases, admin.my_open_cases, admin.high_risk_open) == (4, 0, 3)
    assert admin.stages == {"pending": 3, "active": 1, "closed": 1, "reopened": 0}
    assert [row[0] for row in admin.stage_rows] == list(CaseStage.values)
    assert [c.pk for c in admin.recent] == [eli.pk, daudi.pk, chebet.pk, baraka.pk, amani.pk]
    assert (other.open_cases, other.my_open_cases, other.high_risk_open) == (1, 1, 0)


def test_the_home_reads_a_fixed_handful_of_queries(world, team):
    client = client_on(world.acme, world.acme_admin)
    open_case(world.acme, team.worker)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    _open_four(world, team)
    open_case(world.acme, team.other_worker, make_child("Eli", "Kamau"), risk_level="RLLW")
    client.get("/")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/")
    assert len(many) == len(few)
    assert response.context["summary"].open_cases == 6
    # the tiles: one read of the kept counts grouped by stage, status and risk, never the
    # cases themselves
    grouped = [q["sql"] for q in many if "GROUP BY" in q["sql"]]
    assert len(grouped) == 1 and '"cases_casetilecount"."stage"' in grouped[0]
    assert "cases_caserecord" not in grouped[0]


def test_the_home_tiles_are_isolated(world, team):
    _open_four(world, team)
    beta = client_on(world.beta, world.beta_worker).get("/")
    summary = beta.context["summary"]
    assert (summary.open_cases, summary.recent) == (0, [])
    assert summary.stages == {"pending": 0, "active": 0, "closed": 0, "reopened": 0}
    assert "Otieno".upper() not in beta.content.decode()
    # another workspace's admin on acme's host, and nobody: no tiles, sent to sign in
    stranger = client_on(world.beta, world.acme_admin).get("/")
    assert stranger.status_code in (302, 403, 404)
    assert b"OTIENO" not in stranger.content
    anonymous = client_on(world.acme).get("/")
    assert anonymous.status_code == 302 and b"OTIENO" not in anonymous.content


def test_the_api_list_carries_each_cases_categories_as_one_case_does(world, team):
    two = [
        services.CategoryInput(category_code="CTRF", sub_category_codes=["LBDW"]),
        services.CategoryInput(category_code="CSIC", sub_category_codes=["NDED"]),
    ]
    case = open_case(world.acme, team.worker, make_child("Faith", "Wambua"), categories=two)
    open_case(world.acme, team.worker, make_child("Gift", "Wambua"))
    client = client_on(world.acme, world.acme_admin)
    listed = {c["id"]: c["categories"] for c in client.get("/api/v1/cases").json()["items"]}
    assert listed[case.pk] == ["CTRF", "CSIC"]  # as entered, like the case on its own
    assert client.get(f"/api/v1/cases/{case.pk}").json()["categories"] == ["CTRF", "CSIC"]
    assert sorted(listed.values()) == [["CSIC"], ["CTRF", "CSIC"]]


def test_own_open_cases_count_only_what_is_assigned_and_open(world, team):
    mine = open_case(world.acme, team.worker, make_child("Hope", "Njeri"))
    # recorded by the worker but assigned to the other worker: in the worker's caseload,
    # not "assigned to you"
    handed = open_case(world.acme, team.worker, make_child("Imani", "Njeri"))
    with workspace_context(world.acme):
        CaseRecord.objects.filter(pk=handed.pk).update(assigned_officer=team.other_worker)
    worker, other, viewer = (
        _summary(world, user) for user in (team.worker, team.other_worker, team.viewer)
    )
    assert (worker.open_cases, worker.my_open_cases) == (2, 1)
    assert (other.open_cases, other.my_open_cases) == (1, 1)
    assert (viewer.open_cases, viewer.my_open_cases) == (2, 0)
    assert mine.pk in [c.pk for c in worker.recent]
