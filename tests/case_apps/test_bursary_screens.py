"""Bursary applications on the API and the screens: the chain through both, 422s naming the
fields, labels instead of codes, the child's education record, and isolation (another
organisation's member, or a member who does not see the case, gets a 404, nothing changed)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from case_apps.cases.models import BursaryAward
from case_apps.cases.models_bursary import BursaryApplication, BursaryStep
from tenants.schema import workspace_context
from tests.case_apps.bursary_helpers import apply, days_ago, full_chain, step
from tests.case_apps.conftest import open_case
from tests.conftest import client_on

pytestmark = pytest.mark.django_db
JSON = "application/json"


def body(**overrides) -> dict:
    data = {
        "bursary_type": "BPRE",
        "year": timezone.localdate().year,
        "school_name": "Maseno School",
        "nemis_upi": "UPI12345",
        "class_level": "Form 3",
        "annual_fees_kes": "45000.00",
        "fee_balance_kes": "12000",
        "parents_status": "total_orphan",
        "family_situation": "Lives with the grandmother.",
        "applied_on": days_ago(2).isoformat(),
    }
    data.update(overrides)
    return data


def post_step(client, application_id, kind, **overrides):
    data = {"step": kind, "on": days_ago(1).isoformat(), "recommended": True}
    data.update(overrides)
    return client.post(
        f"/api/v1/bursary-applications/{application_id}/steps", data, content_type=JSON
    )


def test_the_api_walks_an_application_through_its_chain(world, team):
    case = open_case(world.acme, team.worker)
    worker, supervisor = client_on(world.acme, team.worker), client_on(world.acme, team.supervisor)
    client_id = str(uuid.uuid4())
    created = worker.post(
        f"/api/v1/cases/{case.pk}/bursary-applications", body(uuid=client_id), content_type=JSON
    )
    assert created.status_code == 201, created.content
    application = created.json()
    assert (application["status"], application["next_step"]) == ("pending", "principal")
    again = worker.post(
        f"/api/v1/cases/{case.pk}/bursary-applications", body(uuid=client_id), content_type=JSON
    )
    assert (again.status_code, again.json()["id"]) == (200, application["id"])
    out_of_order = post_step(worker, application["id"], "chief", signatory_name="Chief Oloo")
    assert out_of_order.status_code == 422
    assert out_of_order.json()["errors"] == {"step": ["The principal's recommendation is missing."]}
    ok = post_step(worker, application["id"], "principal", signatory_name="Mr Were")
    assert ok.status_code == 201 and ok.json()["next_step"] == "chief"
    assert post_step(worker, application["id"], "principal", signatory_name="X").status_code == 422
    assert (
        post_step(worker, application["id"], "chief", signatory_name="Chief Oloo").status_code
        == 201
    )
    assert post_step(worker, application["id"], "sub_county").status_code == 403
    assert post_step(supervisor, application["id"], "sub_county").status_code == 201
    approved = post_step(
        supervisor,
        application["id"],
        "committee",
        signatory_name="Chair Atieno",
        approved_amount_kes="25000.50",
        on=timezone.localdate().isoformat(),
    )
    assert approved.status_code == 201, approved.content
    result = approved.json()
    assert (result["status"], result["next_step"]) == ("approved", None)
    assert [s["kind"] for s in result["steps"]] == ["principal", "chief", "sub_county", "committee"]
    assert result["steps"][2]["recorded_by_id"] == team.supervisor.pk
    with workspace_context(world.acme):
        assert BursaryAward.objects.get().amount_kes == Decimal("25000.50")


def test_bad_input_is_a_422_naming_the_fields(world, team):
    case = open_case(world.acme, team.worker)
    worker = client_on(world.acme, team.worker)
    wrong = worker.post(
        f"/api/v1/cases/{case.pk}/bursary-applications",
        body(bursary_type="XXXX", fee_balance_kes="99000", parents_status="?", school_name=""),
        content_type=JSON,
    )
    assert wrong.status_code == 422
    assert set(wrong.json()["errors"]) == {
        "bursary_type",
        "fee_balance_kes",
        "parents_status",
        "school_name",
    }
    too_big = worker.post(
        f"/api/v1/cases/{case.pk}/bursary-applications",
        body(annual_fees_kes="1e12"),
        content_type=JSON,
    )
    assert too_big.status_code == 422 and "annual_fees_kes" in too_big.json()["errors"]
    with workspace_context(world.acme):
        assert not BursaryApplication.objects.exists()


def test_the_list_filters_by_status_type_school_and_year(world, team):
    case = open_case(world.acme, team.worker)
    this_year = timezone.localdate().year
    pending = apply(world.acme, team.worker, case, school_name="Maseno School")
    cdf = apply(world.acme, team.worker, case, bursary_type="BCDF", school_name="Alliance High")
    step(world.acme, team.supervisor, cdf, "committee", approved_amount_kes=Decimal("5000"))
    last_year = apply(world.acme, team.worker, case, year=this_year - 1, school_name="Kakamega")
    client = client_on(world.acme, team.worker)

    def ids(query: str) -> set[int]:
        response = client.get(f"/api/v1/bursary-applications?{query}")
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["items"]}

    assert ids("") == {pending.pk, cdf.pk, last_year.pk}
    assert ids("status=approved") == {cdf.pk}
    assert ids("bursary_type=BPRE") == {pending.pk, last_year.pk}
    assert ids("school=maseno") == {pending.pk}
    assert ids(f"year={this_year - 1}") == {last_year.pk}
    assert ids("q=Akinyi") == {pending.pk, cdf.pk, last_year.pk}  # the child's name
    assert ids("q=UPI-NOT-THERE") == set()
    page = client_on(world.acme, team.supervisor).get("/cases/bursaries/?status=pending&q=maseno")
    assert page.status_code == 200
    rows = [item.application.pk for item in page.context["page"].object_list]
    assert rows == [pending.pk]
    assert "Presidential bursary" in page.content.decode()
    assert "Principal" in page.content.decode()  # the next step, in words


def test_another_organisation_or_a_member_who_does_not_see_the_case_gets_nothing(world, team):
    case = open_case(world.acme, team.worker)
    application = apply(world.acme, team.worker, case)
    beta = client_on(world.acme, world.beta_worker)  # not a member of acme
    assert beta.get(f"/api/v1/bursary-applications/{application.pk}").status_code in (403, 404)
    for client in (
        client_on(world.beta, world.beta_worker),
        client_on(world.acme, team.other_worker),
    ):
        assert client.get(f"/api/v1/bursary-applications/{application.pk}").status_code == 404
        response = post_step(client, application.pk, "principal", signatory_name="Intruder")
        assert response.status_code == 404
        assert client.get("/api/v1/bursary-applications").json()["items"] == []
        created = client.post(
            f"/api/v1/cases/{case.pk}/bursary-applications", body(), content_type=JSON
        )
        assert created.status_code == 404
        page = client.get(f"/cases/{case.pk}/bursaries/{application.pk}/principal/")
        assert page.status_code == 404
        posted = client.post(
            f"/cases/{case.pk}/bursaries/{application.pk}/principal/",
            {"signatory_name": "Intruder", "recommended": "yes", "on": days_ago(1).isoformat()},
        )
        assert posted.status_code == 404
        assert client.post(f"/cases/{case.pk}/bursaries/apply/", {}).status_code == 404
    with workspace_context(world.acme):
        assert not BursaryStep.objects.exists()
        assert BursaryApplication.objects.count() == 1


def test_an_application_of_another_case_is_not_reached_through_this_one(world, team):
    first = open_case(world.acme, team.worker)
    second = open_case(world.acme, team.worker)
    application = apply(world.acme, team.worker, second)
    client = client_on(world.acme, team.worker)
    assert client.get(f"/cases/{first.pk}/bursaries/{application.pk}/principal/").status_code == 404
    assert client.get(f"/cases/{second.pk}/bursaries/{application.pk}/unknown/").status_code == 404


def test_the_screens_apply_and_record_each_step(world, team):
    case = open_case(world.acme, team.worker)
    worker = client_on(world.acme, team.worker)
    page = worker.get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/bursaries/apply/" in page
    assert page.count(f"/cases/{case.pk}/bursaries/new/") == 1  # one "Bursary" button
    form = body()
    form.pop("year")
    form.update(year=str(timezone.localdate().year), fee_balance_kes="99000")
    refused = worker.post(f"/cases/{case.pk}/bursaries/apply/", form)
    assert refused.status_code == 200  # the form again, with what was typed
    assert "The balance cannot be more than the annual fees." in refused.content.decode()
    assert 'value="Maseno School"' in refused.content.decode()
    form["fee_balance_kes"] = "1000"
    saved = worker.post(f"/cases/{case.pk}/bursaries/apply/", form, follow=True)
    assert "Application for a Presidential bursary" in saved.content.decode()
    with workspace_context(world.acme):
        application = BursaryApplication.objects.get()
    base = f"/cases/{case.pk}/bursaries/{application.pk}"
    out_of_order = worker.post(
        f"{base}/chief/",
        {"signatory_name": "Chief Oloo", "recommended": "yes", "on": days_ago(1).isoformat()},
    )
    assert "The principal&#x27;s recommendation is missing." in out_of_order.content.decode()
    assert 'value="Chief Oloo"' in out_of_order.content.decode()
    worker.post(
        f"{base}/principal/",
        {"signatory_name": "Mr Were", "recommended": "yes", "on": days_ago(1).isoformat()},
    )
    worker.post(
        f"{base}/chief/",
        {"signatory_name": "Chief Oloo", "recommended": "yes", "on": days_ago(1).isoformat()},
    )
    case_page = worker.get(f"/cases/{case.pk}/").content.decode()
    assert "Mr Were" in case_page and "Chief Oloo" in case_page
    assert f"{base}/sub_county/" not in case_page  # the sign-off is not the worker's
    assert worker.get(f"{base}/sub_county/").status_code == 403
    supervisor = client_on(world.acme, team.supervisor)
    assert f"{base}/sub_county/" in supervisor.get(f"/cases/{case.pk}/").content.decode()
    sign_off = supervisor.get(f"{base}/sub_county/").content.decode()
    assert 'name="signatory_name"' not in sign_off  # signed by the member themselves
    supervisor.post(f"{base}/sub_county/", {"recommended": "yes", "on": days_ago(0).isoformat()})
    decided = supervisor.post(
        f"{base}/committee/",
        {
            "signatory_name": "Chair Atieno",
            "recommended": "yes",
            "approved_amount_kes": "30000",
            "on": days_ago(0).isoformat(),
        },
        follow=True,
    )
    text = decided.content.decode()
    assert "County Scholarship Advisory Committee approval" in text and "Approved" in text
    assert "recorded (yes): the application is approved." in text  # the status as it is now
    with workspace_context(world.acme):
        assert BursaryAward.objects.get().amount_kes == Decimal("30000")


def test_the_case_page_and_the_childs_education_record_show_labels_not_codes(world, team):
    case = open_case(world.acme, team.worker)
    full_chain(world.acme, team, apply(world.acme, team.worker, case))
    client = client_on(world.acme, team.worker)
    case_page = client.get(f"/cases/{case.pk}/").content.decode()
    child_page = client.get(f"/cases/children/{case.child_id}/").content.decode()
    for page in (case_page, child_page):
        # the label shows; the code only in its tooltip, never as text
        assert "Presidential bursary" in page and ">BPRE<" not in page
        assert "KES 30000" in page and "Dr Wanjiru (chair)" in page
    assert 'data-testid="education-record"' in child_page
    client.cookies["django_language"] = "sw"
    sw = client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="sw").content.decode()
    assert "Basari ya Rais" in sw


def test_the_award_form_offers_coded_types_without_the_presidential_one(world, team):
    case = open_case(world.acme, team.worker)
    client = client_on(world.acme, team.worker)
    page = client.get(f"/cases/{case.pk}/bursaries/new/").content.decode()
    assert 'value="BCDF"' in page and 'value="BPRE"' not in page
    response = client.post(
        f"/cases/{case.pk}/bursaries/new/",
        {"bursary_type": "BCDF", "amount_kes": "7000", "year": "2026", "awarded_on": days_ago(1)},
        follow=True,
    )
    assert "Bursary (Constituency Development Fund (CDF), KES 7000" in response.content.decode()


def test_the_case_page_and_the_list_read_applications_in_a_fixed_number_of_queries(world, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = open_case(world.acme, team.worker)
    full_chain(world.acme, team, apply(world.acme, team.worker, case))
    client = client_on(world.acme, team.supervisor)

    def counted(url: str) -> int:
        """The fewer of two counted reads: a short-lived cache (the host's route, 10 s) that
        expires between reads on a loaded machine adds a query; an N+1 adds to both."""
        client.get(url)  # warm: the lists' and the session's caches, the schema's path
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return min(counts)

    urls = (f"/cases/{case.pk}/", "/cases/bursaries/", "/api/v1/bursary-applications")
    few = [counted(url) for url in urls]
    for _ in range(3):
        application = apply(world.acme, team.worker, case)
        step(world.acme, team.worker, application, "principal")
    assert [counted(url) for url in urls] == few
