"""Case screens: caseload by role, the case record sheet form, isolation between organisations."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from case_apps.cases.models import CaseRecord
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child, open_case, search_ref
from tests.conftest import client_on

pytestmark = pytest.mark.django_db


def test_each_role_sees_its_caseload(world, team):
    mine = open_case(world.acme, team.worker, make_child("Baraka", "Mutua"))
    others = open_case(world.acme, team.other_worker, make_child("Chebet", "Kiprono"))
    for user, visible, hidden in [
        (team.worker, [mine], [others]),
        (team.other_worker, [others], [mine]),
        (team.supervisor, [mine], [others]),  # supervises worker only
        (world.acme_admin, [mine, others], []),
        (team.viewer, [mine, others], []),
    ]:
        page = client_on(world.acme, user).get("/cases/").content.decode()
        for case in visible:
            assert case.national_reference in page, user
        for case in hidden:
            assert case.national_reference not in page, user


def test_case_page_is_not_found_for_a_member_who_may_not_see_it(world, team):
    case = open_case(world.acme, team.worker)
    assert client_on(world.acme, team.worker).get(f"/cases/{case.pk}/").status_code == 200
    assert client_on(world.acme, team.other_worker).get(f"/cases/{case.pk}/").status_code == 404


def test_viewer_reads_but_cannot_record(world, team):
    case = open_case(world.acme, team.worker)
    client = client_on(world.acme, team.viewer)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert client.get(f"/cases/{case.pk}/follow-ups/new/").status_code == 403
    assert client.get("/cases/new/").status_code == 403


def test_other_organisation_sees_nothing_of_acme_cases(world, team):
    case = open_case(world.acme, team.worker)
    urls = [
        "/cases/",
        f"/cases/{case.pk}/",
        f"/cases/children/{case.child_id}/",
        "/cases/approvals/",
        f"/cases/{case.pk}/follow-ups/new/",
        f"/cases/{case.pk}/edit/",
        "/cases/?export=csv",
        f"/api/v1/cases/{case.pk}",
        "/api/v1/cases",
    ]
    for client, host in [
        (client_on(world.beta, world.beta_worker), "beta"),
        (client_on(world.acme, world.beta_worker), "acme"),
        (client_on(world.acme, world.hq_admin), "acme"),
    ]:
        for url in urls:
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert response.status_code < 500, url
            assert case.national_reference.encode() not in body, (host, url)
            if host == "acme":
                assert response.status_code == 403, url
            elif (
                url.startswith(f"/cases/{case.pk}") or "children" in url or "/api/v1/cases/" in url
            ):
                assert response.status_code == 404, url


def test_search_and_filters(world, team):
    open_case(world.acme, team.worker, make_child("Baraka", "Mutua"), risk_level="RLLW")
    open_case(world.acme, team.worker, make_child("Chebet", "Kiprono"))
    client = client_on(world.acme, team.worker)
    page = client.get("/cases/", {"q": "mutua"}).content.decode()
    assert "BARAKA" in page and "CHEBET" not in page
    page = client.get("/cases/", {"risk_level": "RLHG"}).content.decode()
    assert "CHEBET" in page and "BARAKA" not in page
    page = client.get("/cases/", {"category": "CCDF"}).content.decode()
    assert "No case matches" in page
    fragment = client.get("/cases/", {"q": "chebet"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "CHEBET" in fragment


def test_a_caseload_row_links_its_case_and_child_and_reads_in_words(world, team):
    reported = timezone.localdate() - timedelta(days=40)
    case = open_case(world.acme, team.worker, make_child("Baraka", "Mutua"), date_reported=reported)
    page = client_on(world.acme, team.worker).get("/cases/").content.decode()
    at = page.index(case.national_reference)
    row = page[page.rindex("<tr>", 0, at) : page.index("</tr>", at)]
    assert f'href="{reverse("cases:detail", args=[case.pk])}"' in row
    assert f'href="{reverse("cases:child", args=[case.child_id])}"' in row
    assert f"<td>{reported.day} {reported:%b} {reported.year}</td>" in row  # "10 Feb 2026"
    assert 'title="RLHG">High</span>' in row  # the risk's label, its code in the tooltip
    assert f"<td>{team.worker.full_name or team.worker.email}</td>" in row
    assert ">Open</span>" in row and ">Pending</span>" in row  # status and stage in words
    assert "None" not in row


def test_caseload_query_count_does_not_grow_with_cases(world, team):
    client = client_on(world.acme, team.worker)
    open_case(world.acme, team.worker)
    client.get("/cases/")
    with CaptureQueriesContext(connection) as few:
        client.get("/cases/")
    for _ in range(12):
        open_case(world.acme, team.worker)
    client.get("/cases/")  # back in acme's schema after the set-up
    with CaptureQueriesContext(connection) as many:
        client.get("/cases/")
    assert len(many) == len(few), [q["sql"][:90] for q in many]


def test_exports_hold_the_visible_rows(world, team):
    open_case(world.acme, team.worker, make_child("Baraka", "Mutua"))
    open_case(world.acme, team.other_worker, make_child("Chebet", "Kiprono"))
    client = client_on(world.acme, team.worker)
    response = client.get("/cases/", {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Case reference" and len(rows) == 2
    assert "BARAKA MUTUA" in rows[1][2]
    response = client.get("/cases/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert len(values) == 2 and "BARAKA MUTUA" in values[1][2]


def test_case_record_sheet_form_keeps_what_was_typed(world, team):
    child = make_child()
    client = client_on(world.acme, team.worker)
    data = {
        "child": child.pk,
        "ref": search_ref(world.acme, team.worker, child),  # a registry search showed the child
        "date_reported": "",
        "how_reported": "walk_in",
        "reporter_type": "CRMO",
        "reporter_name": "Mama Akinyi",
        "risk_level": "RLHG",
        "cat-TOTAL_FORMS": "3",
        "cat-INITIAL_FORMS": "0",
        "cat-0-category_code": "CSIC",
        "perp-TOTAL_FORMS": "2",
        "perp-INITIAL_FORMS": "0",
    }
    response = client.post("/cases/new/", data)
    assert response.status_code == 200
    assert b"Mama Akinyi" in response.content and b"This field is required" in response.content
    data["date_reported"] = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post("/cases/new/", data)
    assert response.status_code == 302
    with workspace_context(world.acme):
        case = CaseRecord.objects.get()
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.reporter_name == "Mama Akinyi"


def test_case_needs_a_category(world, team):
    client = client_on(world.acme, team.worker)
    child = make_child()
    data = {
        "child": child.pk,
        "ref": search_ref(world.acme, team.worker, child),
        "date_reported": timezone.localdate().isoformat(),
        "how_reported": "walk_in",
        "reporter_type": "CRMO",
        "risk_level": "RLHG",
        "cat-TOTAL_FORMS": "3",
        "cat-INITIAL_FORMS": "0",
        "perp-TOTAL_FORMS": "2",
        "perp-INITIAL_FORMS": "0",
    }
    response = client.post("/cases/new/", data)
    assert b"Add at least one case category" in response.content


def test_child_page_lists_every_case_and_follow_up_in_time_order(world, team):
    child = make_child("Zawadi", "Njoroge")
    first = open_case(
        world.acme, team.worker, child, date_reported=timezone.localdate() - timedelta(days=30)
    )
    second = open_case(world.acme, team.worker, child)
    page = client_on(world.acme, team.worker).get(f"/cases/children/{child.pk}/").content.decode()
    assert page.index(first.national_reference) < page.index(second.national_reference)


def test_concurrent_edit_is_refused_and_both_versions_shown(world, team):
    case = open_case(world.acme, team.worker)
    client = client_on(world.acme, team.worker)
    form = {
        "date_reported": case.date_reported.isoformat(),
        "how_reported": "walk_in",
        "reporter_type": "CRMO",
        "risk_level": "RLMD",
        "version": "1",
    }
    assert client.post(f"/cases/{case.pk}/edit/", form).status_code == 302
    form["risk_level"] = "RLLW"  # a second officer still holding version 1
    response = client_on(world.acme, team.supervisor).post(f"/cases/{case.pk}/edit/", form)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="conflict"' in body and "Low" in body and "Medium" in body
    with workspace_context(world.acme):
        assert CaseRecord.objects.get().risk_level == "RLMD"


def test_attachment_checks_type_and_is_served_through_the_policy(world, team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = open_case(world.acme, team.worker)
    client = client_on(world.acme, team.worker)
    fake = SimpleUploadedFile("order.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(f"/cases/{case.pk}/attachments/new/", {"title": "Order", "file": fake})
    assert b"does not match its type" in response.content
    real = SimpleUploadedFile("order.pdf", b"%PDF-1.4 court order", content_type="application/pdf")
    response = client.post(f"/cases/{case.pk}/attachments/new/", {"title": "Order", "file": real})
    assert response.status_code == 302
    with workspace_context(world.acme):
        attachment = case.attachments.get()
    url = f"/cases/{case.pk}/attachments/{attachment.pk}/"
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 court order"
    assert client_on(world.acme, team.other_worker).get(url).status_code == 404
    assert client_on(world.beta, world.beta_worker).get(url).status_code == 404


def test_every_read_of_a_case_or_child_is_logged(world, team):
    from audit.workspace.models import AccessEntry

    case = open_case(world.acme, team.worker)
    client = client_on(world.acme, team.worker)
    client.get(f"/cases/{case.pk}/")
    client.get(f"/cases/children/{case.child_id}/")
    client.get("/cases/", {"export": "csv"})
    client.get(f"/api/v1/cases/{case.pk}")
    with workspace_context(world.acme):
        # this test's members only: browser journeys commit entries of the world's users
        mine = AccessEntry.objects.filter(actor_id__in=[team.worker.pk, team.other_worker.pk])
        entries = list(mine.order_by("id").values_list("record_kind", "actor_id"))
    assert entries == [
        ("case", team.worker.pk),
        ("child", team.worker.pk),
        ("caseload_export", team.worker.pk),
        ("case", team.worker.pk),
    ]
    client_on(world.acme, team.other_worker).get(f"/cases/{case.pk}/")  # refused: not logged
    with workspace_context(world.acme):
        assert mine.count() == 4


def test_supervisor_moves_a_case_to_another_officer(world, team):
    case = open_case(world.acme, team.worker)
    supervisor = client_on(world.acme, team.supervisor)
    assert b"Move to another officer" in supervisor.get(f"/cases/{case.pk}/").content
    assert (
        b"Move to another officer"
        not in client_on(world.acme, team.worker).get(f"/cases/{case.pk}/").content
    )
    response = supervisor.post(
        f"/cases/{case.pk}/reassign/", {"officer": team.other_worker.pk, "reason": "Annual leave"}
    )
    assert response.status_code == 302
    assert client_on(world.acme, team.other_worker).get(f"/cases/{case.pk}/").status_code == 200
    assert (
        client_on(world.acme, team.worker)
        .post(f"/cases/{case.pk}/reassign/", {"officer": team.worker.pk, "reason": "x"})
        .status_code
        == 403
    )  # the recording worker still sees the case but may not move it


def test_search_finds_reordered_names_references_and_cpims_ids(world, team):
    case = open_case(world.acme, team.worker, make_child("Baraka", "Mutua"))
    other = open_case(world.acme, team.worker, make_child("Chebet", "Kiprono"))
    client = client_on(world.acme, team.worker)
    for term in [
        "mutua baraka",
        "BARAKA",
        case.national_reference,
        case.child.cpims_id,
        case.child.cpims_id_display,
    ]:
        page = client.get("/cases/", {"q": term}).content.decode()
        assert case.national_reference in page, term
        assert other.national_reference not in page, term


def test_workspace_home_summarises_the_members_caseload(world, team):
    open_case(world.acme, team.worker, risk_level="RLHG")
    open_case(world.acme, team.other_worker, risk_level="RLLW")
    home = client_on(world.acme, team.worker).get("/")
    summary = home.context["summary"]
    assert (summary.open_cases, summary.my_open_cases, summary.high_risk_open) == (1, 1, 1)
    assert len(summary.recent) == 1
    admin = client_on(world.acme, world.acme_admin).get("/").context["summary"]
    assert admin.open_cases == 2


def test_each_small_case_form_says_what_it_records(world, team):
    """The case page's Refer, Placement, Bursary... buttons open the same small form page;
    its heading (and the tab's title) tell the officer which record they are adding."""
    case = open_case(world.acme, team.worker)
    client = client_on(world.acme, team.worker)
    for path, heading in (
        ("referrals/new/", "Refer the child to a service"),
        ("placements/new/", "Record a placement or alternative care"),
        ("bursaries/new/", "Record a bursary"),
        ("attachments/new/", "Attach a document"),
    ):
        page = client.get(f"/cases/{case.pk}/{path}").content.decode()
        assert f"<h1>{heading}" in page and f"<title>{heading}" in page, path


def test_a_long_caseload_counts_up_to_its_cap_and_says_so(world, team, monkeypatch):
    # an organisation with more cases than the cap reads "more than N" instead of counting
    # every case on each page load; under the cap the exact count shows
    from cpims import pagination

    for first in ("Amani", "Baraka", "Chebet", "Daudi"):
        open_case(world.acme, team.worker, make_child(first, "Otieno"))
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    client = client_on(world.acme, world.acme_admin)
    page = client.get("/cases/").content.decode()
    assert "More than 3 cases" in page and "4 cases" not in page
    narrowed = client.get("/cases/", {"q": "Amani"}).content.decode()
    assert "1 case" in narrowed and "More than" not in narrowed


def test_a_search_counts_up_to_a_smaller_cap(world, team, monkeypatch):
    # a search matching many cases (a common surname) is narrowed, not counted to the end
    from case_apps.cases.views import caseload

    for first in ("Amani", "Baraka", "Chebet"):
        open_case(world.acme, team.worker, make_child(first, "Wekesa"))
    open_case(world.acme, team.worker, make_child("Daudi", "Otieno"))
    monkeypatch.setattr(caseload, "SEARCH_COUNT_CAP", 2)
    client = client_on(world.acme, world.acme_admin)
    searched = client.get("/cases/", {"q": "wekesa"}).content.decode()
    assert "More than 2 cases" in searched and "3 cases" not in searched
    assert "4 cases" in client.get("/cases/").content.decode()  # the list's own cap holds
