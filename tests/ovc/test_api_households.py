"""The OVC API core (issue 18): households, members with their relations, enrolment with
the serial and the 28-day rule, the children list and a child's correction. Bad input is a
422 naming the field, a household or child outside the caseload a 404, a role that may not
record a 403; no one outside the partner gets anything."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from case_apps.ovc.models import Enrolment, Household, HouseholdMember
from tenants.api_input import MAX_ID, MAX_ITEMS, MAX_LIMIT, MAX_OFFSET
from tenants.models import Organisation, Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.case_apps.conftest import make_child, search_ref
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.ovc.conftest import MARKER, make_caregiver

pytestmark = pytest.mark.django_db
API = "/api/v1/ovc"
TODAY = timezone.localdate
JSON = "application/json"


def household_body(world, head, **overrides) -> dict:
    body = {
        "head_id": head.pk,
        "head_ref": search_ref(world.beta, world.beta_worker, head),
        "head_member_type": "CGPM",
        "head_hiv_status": "HSTN",
        "ward_code": "1201",
        "village": "Kondele",
    }
    body.update(overrides)
    return body


def enrolment_body(world, child, **overrides) -> dict:
    body = {
        "child_id": child.pk,
        "child_ref": search_ref(world.beta, world.beta_worker, child),
        "registration_date": (TODAY() - timedelta(days=3)).isoformat(),
        "eligibility": ["ECFD"],
        "hiv_status": "HSTN",
        "school_level": "SLPR",
    }
    body.update(overrides)
    return body


@pytest.fixture
def worker(world):
    return client_on(world.beta, world.beta_worker)


@pytest.fixture
def registered(world, kenya_geography, worker):
    """Through the API: Mary's household in Nyalenda B, her daughter Zawadi (other child,
    cared for by Mary) and her son Baraka, enrolled."""
    head = make_caregiver("Mary", "Wanjiku")
    created = worker.post(f"{API}/households", household_body(world, head), content_type=JSON)
    assert created.status_code == 201, created.content
    household = created.json()
    head_member = household["members"][0]["id"]
    sister = make_child("Zawadi", "Wanjiku")
    added = worker.post(
        f"{API}/households/{household['id']}/members",
        {
            "person_id": sister.pk,
            "person_ref": search_ref(world.beta, world.beta_worker, sister),
            "member_type": "TBVC",
            "caregiver_ids": [head_member],
        },
        content_type=JSON,
    )
    assert added.status_code == 201, added.content
    baraka = make_child("Baraka", "Wanjiku", sex="SMAL")
    enrolled = worker.post(
        f"{API}/households/{household['id']}/enrolments",
        enrolment_body(world, baraka),
        content_type=JSON,
    )
    assert enrolled.status_code == 201, enrolled.content
    return household, added.json(), enrolled.json()


def test_a_household_from_registration_to_enrolment_through_the_api(world, worker, registered):
    household, sister, child = registered
    assert household["number"].startswith("HH/BETA/")
    assert (household["county_code"], household["sub_county_code"], household["ward_code"]) == (
        "042",
        "240",
        "1201",
    )
    head = household["members"][0]
    assert (head["is_head"], head["member_type"]) == (True, "CGPM")
    assert sister["member_type"] == "TBVC" and sister["caregiver_ids"] == [head["id"]]
    assert child["serial"] == "BETA/00001"
    assert [c["member_id"] for c in child["caregivers"]] == [head["id"]]
    assert [s["member_id"] for s in child["siblings"]] == [sister["id"]]
    # the household with its members' relations
    read = worker.get(f"{API}/households/{household['id']}").json()
    members = {m["member_type"]: m for m in read["members"]}
    assert members["TOVC"]["serial"] == "BETA/00001"
    assert members["TOVC"]["enrolment_id"] == child["id"]
    assert members["TOVC"]["caregiver_ids"] == [head["id"]]
    assert members["TBVC"]["enrolment_id"] is None
    # lists and searches
    listed = worker.get(f"{API}/households?q=Kondele").json()
    assert [h["id"] for h in listed["items"]] == [household["id"]]
    assert worker.get(f"{API}/households?enrolled=not_enrolled").json()["count"] == 0
    children = worker.get(f"{API}/children?q=BETA/00001").json()
    assert [(c["id"], c["serial"]) for c in children["items"]] == [(child["id"], "BETA/00001")]
    assert worker.get(f"{API}/children?status=exited").json()["count"] == 0
    assert worker.get(f"{API}/children/{child['id']}").json()["serial"] == "BETA/00001"
    # a correction
    patched = worker.patch(
        f"{API}/children/{child['id']}", {"school_level": "SLSE"}, content_type=JSON
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["school_level"] == "SLSE" and patched.json()["hiv_status"] == "HSTN"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"head_member_type": "XXXX"}, "head_member_type"),
        ({"head_member_type": "TOVC"}, "head_member_type"),
        ({"head_hiv_status": "H" * 17}, "head_hiv_status"),
        ({"ward_code": "9999"}, "ward_code"),
        ({"county_code": "047", "ward_code": "", "sub_county_code": "240"}, "sub_county_code"),
        ({"ward_code": "1" * 9}, "ward_code"),
        ({"village": "x" * 101}, "village"),
        ({"village": "Kon\x00dele"}, "village"),
        ({"head_id": 0}, "head_id"),
        ({"head_id": MAX_ID + 1}, "head_id"),
        ({"head_id": 987_654_321}, "head_id"),  # no such person
        ({"head_ref": ""}, "head_id"),  # a person the partner holds no record on
    ],
)
def test_a_wrong_household_is_a_422_naming_the_field(
    world, kenya_geography, worker, overrides, field
):
    body = household_body(world, make_caregiver("Rose", "Atieno"), **overrides)
    response = worker.post(f"{API}/households", body, content_type=JSON)
    assert response.status_code == 422, response.content
    assert field in str(response.json())
    with workspace_context(world.beta):
        assert not Household.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"registration_date": (TODAY() - timedelta(days=40)).isoformat()}, "registration_date"),
        ({"registration_date": (TODAY() + timedelta(days=1)).isoformat()}, "registration_date"),
        ({"registration_date": "not a date"}, "registration_date"),
        ({"eligibility": ["NOPE"]}, "eligibility"),
        ({"eligibility": []}, "eligibility"),
        ({"eligibility": ["ECFD"] * (MAX_ITEMS + 1)}, "eligibility"),
        ({"hiv_status": "HSTP"}, "art_status"),
        ({"school_level": "S" * 17}, "school_level"),
        ({"facility": "f" * 201}, "facility"),
        ({"child_id": "abc"}, "child_id"),
        ({"caregiver_ids": [MAX_ID]}, "caregiver_ids"),
        ({"caregiver_ids": [0]}, "caregiver_ids"),
    ],
)
def test_a_wrong_enrolment_is_a_422_naming_the_field(world, worker, registered, overrides, field):
    household, *_ = registered
    body = enrolment_body(world, make_child("Imani", "Wanjiku"), **overrides)
    response = worker.post(
        f"{API}/households/{household['id']}/enrolments", body, content_type=JSON
    )
    assert response.status_code == 422, response.content
    assert field in str(response.json())
    with workspace_context(world.beta):
        assert Enrolment.objects.count() == 1


def test_a_wrong_member_or_correction_is_a_422(world, worker, registered):
    household, sister, child = registered
    stranger = make_child("Imani", "Wanjiku")
    member = {
        "person_id": stranger.pk,
        "person_ref": search_ref(world.beta, world.beta_worker, stranger),
        "member_type": "TBVC",
    }
    url = f"{API}/households/{household['id']}/members"
    for overrides, field in (
        ({"member_type": "CGXX"}, "member_type"),
        ({"caregiver_ids": [sister["id"]]}, "caregiver_ids"),
        ({"caregiver_ids": list(range(1, MAX_ITEMS + 2))}, "caregiver_ids"),
        ({"alive": True, "death_cause": "DCHR"}, "death_cause"),
    ):
        response = worker.post(url, {**member, **overrides}, content_type=JSON)
        assert response.status_code == 422, (overrides, response.content)
        assert field in str(response.json())
    moved = (TODAY() - timedelta(days=3 + 29)).isoformat()
    for patch, field in (
        ({"registration_date": moved}, "registration_date"),
        ({"hiv_status": "NOPE"}, "hiv_status"),
        ({"school_class": "c" * 33}, "school_class"),
    ):
        response = worker.patch(f"{API}/children/{child['id']}", patch, content_type=JSON)
        assert response.status_code == 422, (patch, response.content)
        assert field in str(response.json())
    with workspace_context(world.beta):
        assert HouseholdMember.objects.count() == 3
        assert Enrolment.objects.get().school_class == ""


@pytest.mark.parametrize(
    "query",
    [
        f"limit={MAX_LIMIT + 1}",
        f"offset={MAX_OFFSET + 1}",
        "limit=0",
        "q=" + "x" * 201,
        "registered_from=yesterday",
        "enrolled=maybe",
        "officer=0",
    ],
)
def test_bad_list_queries_are_422(world, worker, query):
    assert worker.get(f"{API}/households?{query}").status_code == 422
    children_query = query.replace("enrolled=maybe", "status=gone").replace("officer", "offset")
    if children_query != "offset=0":
        assert worker.get(f"{API}/children?{children_query}").status_code == 422


def test_a_viewer_reads_but_may_not_record(world, registered):
    household, _sister, child = registered
    viewer = UserFactory(email="viewer@beta.test")
    membership_grant(user=viewer, organisation=world.beta, roles=[Role.VIEWER])
    client = client_on(world.beta, viewer)
    assert client.get(f"{API}/households/{household['id']}").status_code == 200
    head = make_caregiver("Rose", "Atieno")
    for method, url, body in (
        ("post", f"{API}/households", household_body(world, head)),
        ("post", f"{API}/households/{household['id']}/members", {}),
        ("post", f"{API}/households/{household['id']}/enrolments", {}),
        ("patch", f"{API}/children/{child['id']}", {"school_level": "SLSE"}),
    ):
        response = getattr(client, method)(url, body, content_type=JSON)
        assert response.status_code in (403, 422), (url, response.status_code)
        if body:
            assert response.status_code == 403, url


def test_outside_the_caseload_is_404(world, registered):
    household, _sister, child = registered
    other = UserFactory(email="other@beta.test")
    membership_grant(user=other, organisation=world.beta, roles=[Role.CASE_WORKER])
    client = client_on(world.beta, other)
    assert client.get(f"{API}/households/{household['id']}").status_code == 404
    assert client.get(f"{API}/children/{child['id']}").status_code == 404
    assert client.get(f"{API}/households").json()["count"] == 0
    assert client.get(f"{API}/children").json()["count"] == 0
    patched = client.patch(
        f"{API}/children/{child['id']}", {"school_level": "SLSE"}, content_type=JSON
    )
    assert patched.status_code == 404
    assert client.get(f"{API}/households/{MAX_ID}").status_code == 404


def test_a_workspace_that_runs_no_ovc_programme_answers_404(world):
    client = client_on(world.acme, world.acme_admin)  # a children's home
    for url in (f"{API}/households", f"{API}/children", f"{API}/households/1"):
        assert client.get(url).status_code == 404


def test_no_one_outside_the_partner_gets_its_households(world, beta_programme):
    household, enrolment, *_ = beta_programme
    Organisation.objects.filter(pk=world.acme.pk).update(kind="ip")
    acme_on_acme = client_on(world.acme, world.acme_admin)
    assert acme_on_acme.get(f"{API}/households").status_code == 200  # a real probe
    clients = {
        "acme admin on acme's host": acme_on_acme,
        "acme admin on beta's host": client_on(world.beta, world.acme_admin),
        "DCS administrator on beta's host": client_on(world.beta, world.hq_admin),
        "outsider on beta's host": client_on(world.beta, world.outsider),
        "anonymous on beta's host": client_on(world.beta),
    }
    reads = [
        f"{API}/households",
        f"{API}/households?q={MARKER}",
        f"{API}/households/{household.pk}",
        f"{API}/children",
        f"{API}/children/{enrolment.pk}",
    ]
    writes = [
        ("post", f"{API}/households/{household.pk}/members", {"person_id": 1}),
        ("post", f"{API}/households/{household.pk}/enrolments", {"child_id": 1}),
        ("patch", f"{API}/children/{enrolment.pk}", {"school_level": "SLSE"}),
    ]
    for who, client in clients.items():
        for url in reads:
            response = client.get(url)
            assert response.status_code < 500, (who, url)
            assert MARKER.encode() not in response.content, (who, url)
            if who != "acme admin on acme's host":
                assert response.status_code in (401, 403, 404), (who, url)
        for method, url, body in writes:
            response = getattr(client, method)(url, body, content_type=JSON)
            assert response.status_code in (401, 403, 404, 422), (who, url, response.status_code)
            assert MARKER.encode() not in response.content
    with workspace_context(world.beta):
        assert Enrolment.objects.get(pk=enrolment.pk).school_level == "SLPR"
        assert household.members.count() == 2
