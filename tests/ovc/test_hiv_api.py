"""HIV care API (issue 18 point 4, /api/v1/ovc/...): screening and its result and ART
referral, the M&E lists, caregivers' status, HEI visits and outcome, the facility search;
bad input is a 422 naming the field, another partner's caller gets 404 and writes nothing."""

from __future__ import annotations

import pytest

from case_apps.ovc.models import HivScreening
from case_apps.ovc.models_hiv import CaregiverHivStatus, HeiTestVisit
from tenants.models import Organisation, Role
from tenants.routing import route_cache
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.ovc.hiv_helpers import (
    JOOTRH,
    KONDELE,
    days_ago,
    facilities,  # noqa: F401 (fixture)
    make_infant,
    screen_and_test,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/ovc"


def iso(days: int) -> str:
    return days_ago(days).isoformat()


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def screening_body(**overrides) -> dict:
    return {
        "screened_on": iso(3),
        "status_known": "HSKN",
        "tested_last_6_months": False,
        "risks": ["sexual_abuse"],
        "referred_on": iso(2),
        "test_facility": KONDELE,
        **overrides,
    }


@pytest.mark.usefixtures("facilities")
def test_screening_to_art_through_the_api(world, beta_household):
    client = client_on(world.beta, world.beta_worker)
    e = beta_household.enrolment.pk
    created = post(client, f"{API}/children/{e}/screenings", screening_body())
    assert created.status_code == 201, created.content
    screening = created.json()
    assert screening["test_required"] is True and screening["referral_state"] == "referred"
    assert [s["id"] for s in client.get(f"{API}/children/{e}/screenings").json()] == [
        screening["id"]
    ]
    result = post(
        client,
        f"{API}/children/{e}/screenings/{screening['id']}/result",
        {
            "referral_completed_on": iso(1),
            "test_result": "HSTP",
            "art_referred_on": iso(1),
            "art_facility": JOOTRH,
        },
    )
    assert result.status_code == 200 and result.json()["test_result"] == "HSTP"
    done = post(
        client,
        f"{API}/children/{e}/screenings/{screening['id']}/art-completed",
        {"art_referral_completed_on": iso(0)},
    )
    assert done.status_code == 200 and done.json()["art_referral_completed_on"] == iso(0)
    linked = client.get(f"{API}/hiv/lists/linked?date_from={iso(5)}").json()
    assert [row["id"] for row in linked["items"]] == [screening["id"]]
    assert client.get(f"{API}/hiv/lists/screened?date_from={iso(1)}").json()["count"] == 0
    assert client.get(f"{API}/hiv/lists/tested").json()["count"] == 1
    assert client.get(f"{API}/hiv/lists/awaiting_test").json()["count"] == 0
    found = client.get(f"{API}/facilities?q=jaramogi").json()
    assert found == [
        {
            "code": JOOTRH,
            "name": "Jaramogi Oginga Odinga Teaching and Referral Hospital",
            "county": "Kisumu",
        }
    ]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"not_referred_reason": "x" * 201}, "not_referred_reason"),
        ({"not_referred_reason": "bad\x00text"}, "not_referred_reason"),
        ({"test_facility": "1" * 11}, "test_facility"),
        ({"test_facility": "99999"}, "test_facility"),
        ({"status_known": "NOPE"}, "status_known"),
        ({"status_known": "X" * 17}, "status_known"),
        ({"risks": ["nonsense"]}, "risks"),
        ({"risks": ["sexual_abuse"] * 51}, "risks"),
        ({"screened_on": iso(-2)}, "screened_on"),
        ({"screened_on": "not a date"}, "screened_on"),
    ],
)
@pytest.mark.usefixtures("facilities")
def test_a_wrong_screening_is_a_422_naming_the_field(world, beta_household, overrides, field):
    client = client_on(world.beta, world.beta_worker)
    e = beta_household.enrolment.pk
    response = post(client, f"{API}/children/{e}/screenings", screening_body(**overrides))
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    with workspace_context(world.beta):
        assert not HivScreening.objects.exists()


def test_bad_ids_and_pages_are_422_or_404(world, beta_household):
    client = client_on(world.beta, world.beta_worker)
    assert client.get(f"{API}/children/0/screenings").status_code == 422
    assert client.get(f"{API}/children/{2**64}/screenings").status_code == 422
    assert client.get(f"{API}/children/999999/screenings").status_code == 404
    assert client.get(f"{API}/hiv/lists/everything").status_code == 422
    assert client.get(f"{API}/hiv/lists/screened?limit=100000").status_code == 422
    assert client.get(f"{API}/hiv/lists/screened?offset={10**20}").status_code == 422
    assert client.get(f"{API}/hiv/lists/screened?q={'x' * 201}").status_code == 422
    assert client.get(f"{API}/hiv/hei-due?q={'x' * 201}").status_code == 422
    assert client.get(f"{API}/facilities?q={'x' * 201}").status_code == 422
    e = beta_household.enrolment.pk
    assert post(client, f"{API}/children/{e}/screenings/999999/result", {}).status_code in (
        404,
        422,
    )
    assert (
        post(
            client,
            f"{API}/children/{e}/screenings/999999/result",
            {"referral_completed_on": iso(0), "test_result": "HSTN"},
        ).status_code
        == 404
    )


def test_caregiver_status_through_the_api(world, beta_household):
    client = client_on(world.beta, world.beta_worker)
    household = beta_household.household
    with workspace_context(world.beta):
        head = household.members.get(is_head=True)
    url = f"{API}/households/{household.pk}/caregiver-hiv-status"
    bad = post(
        client,
        url,
        {"member_id": head.pk, "hiv_status": "HSTN", "art_status": "ARAR", "known_on": iso(1)},
    )
    assert bad.status_code == 422 and "art_status" in bad.json()["errors"]
    assert (
        post(client, url, {"member_id": head.pk, "hiv_status": "HSTN", "known_on": "x"}).status_code
        == 422
    )
    created = post(client, url, {"member_id": head.pk, "hiv_status": "HSTN", "known_on": iso(1)})
    assert created.status_code == 201 and created.json()["member_id"] == head.pk
    assert [r["hiv_status"] for r in client.get(url).json()] == ["HSTN"]


@pytest.mark.usefixtures("facilities")
def test_hei_visits_and_outcome_through_the_api(world, beta_household):
    client = client_on(world.beta, world.beta_worker)
    infant = make_infant(world, beta_household.household, born_days_ago=200)
    url = f"{API}/children/{infant.pk}"
    schedule = client.get(f"{url}/hei-tests").json()
    assert schedule["on_hei_path"] is True
    assert [d["state"] for d in schedule["schedule"]] == ["overdue", "due", "upcoming", "upcoming"]
    assert [row["enrolment_id"] for row in client.get(f"{API}/hiv/hei-due").json()["items"]] == [
        infant.pk
    ]
    assert (
        post(
            client, f"{url}/hei-tests", {"test": "pcr_9m", "tested_on": iso(1), "result": "HSTN"}
        ).status_code
        == 422
    )
    created = post(
        client, f"{url}/hei-tests", {"test": "pcr_6w", "tested_on": iso(1), "result": "HSTP"}
    )
    assert created.status_code == 201
    bad = post(client, f"{url}/hei-outcome", {"outcome": "HSTP", "decided_on": iso(0)})
    assert bad.status_code == 422 and "art_facility" in bad.json()["errors"]
    done = post(
        client,
        f"{url}/hei-outcome",
        {"outcome": "HSTP", "decided_on": iso(0), "art_facility": JOOTRH, "art_started_on": iso(0)},
    )
    assert done.status_code == 201 and done.json()["outcome"] == "HSTP"
    assert client.get(f"{url}/hei-tests").json()["on_hei_path"] is False
    assert client.get(f"{API}/hiv/hei-due").json()["count"] == 0


def test_the_hiv_api_gives_nothing_of_beta_to_anyone_else(world, beta_household):
    household, enrolment = beta_household.household, beta_household.enrolment
    with workspace_context(world.beta):
        screening = screen_and_test(world, enrolment)
        head = household.members.get(is_head=True)
    infant = make_infant(world, household)
    # a children's home runs no OVC programme: 404
    assert client_on(world.acme, world.acme_admin).get(f"{API}/hiv/lists/tested").status_code == 404
    Organisation.objects.filter(pk=world.acme.pk).update(kind="ip")
    route_cache.clear()
    e, s = enrolment.pk, screening.pk
    writes = [
        (f"{API}/children/{e}/screenings", screening_body(test_facility="")),
        (f"{API}/children/{e}/screenings/{s}/art-completed", {"art_referral_completed_on": iso(0)}),
        (
            f"{API}/households/{household.pk}/caregiver-hiv-status",
            {"member_id": head.pk, "hiv_status": "HSTN", "known_on": iso(1)},
        ),
        (
            f"{API}/children/{infant.pk}/hei-tests",
            {"test": "pcr_6w", "tested_on": iso(1), "result": "HSTN"},
        ),
    ]
    reads = [
        f"{API}/children/{e}/screenings",
        f"{API}/households/{household.pk}/caregiver-hiv-status",
        f"{API}/children/{infant.pk}/hei-tests",
    ]
    lists = [f"{API}/hiv/lists/screened", f"{API}/hiv/lists/tested", f"{API}/hiv/hei-due"]
    acme = client_on(world.acme, world.acme_admin)
    assert acme.get(f"{API}/hiv/lists/tested").status_code == 200  # a real probe
    for client in (
        acme,
        client_on(world.beta, world.acme_admin),
        client_on(world.beta, world.hq_admin),
        client_on(world.beta),
    ):
        for url, body in writes:
            assert post(client, url, body).status_code in (401, 403, 404), url
        for url in reads:
            assert client.get(url).status_code in (401, 403, 404), url
        for url in lists:
            response = client.get(url)
            assert response.status_code in (200, 401, 403, 404)
            assert b"items" not in response.content or response.json()["count"] == 0
    # a viewer of beta reads but may not write
    viewer = UserFactory(email="hiv-viewer@beta.test")
    membership_grant(user=viewer, organisation=world.beta, roles=[Role.VIEWER])
    as_viewer = client_on(world.beta, viewer)
    assert as_viewer.get(f"{API}/hiv/lists/tested").status_code == 200
    assert post(as_viewer, writes[0][0], writes[0][1]).status_code == 403
    with workspace_context(world.beta):
        assert HivScreening.objects.count() == 1
        assert not CaregiverHivStatus.objects.exists()
        assert not HeiTestVisit.objects.exists()
