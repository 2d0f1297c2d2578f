"""The API of OVC exits and transfers: each side's view of a transfer, accept and decline in
the receiver's workspace, 422 naming the field on bad input, 403 without permission, 404
outside the caseload or in a workspace that runs no OVC programme."""

from __future__ import annotations

import pytest

from case_apps.ovc.models import Enrolment
from sharing.models_ovc_transfers import OvcTransfer
from tenants.models import Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.ovc.transfers_helpers import TODAY, make_acme_partner, send_to

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def acme_partner(world):
    return make_acme_partner(world)


@pytest.fixture
def sent(world, beta_household, acme_partner):
    return send_to(world, beta_household, acme_partner)


def _exit_body(receiver=None, **overrides) -> dict:
    body = {
        "exit_reason": "ERFO",
        "exit_date": TODAY().isoformat(),
        "receiver": receiver,
        "transfer_note": "Moved to Kisumu",
    }
    body.update(overrides)
    return body


def _accept_body(**overrides) -> dict:
    body = {
        "registration_date": TODAY().isoformat(),
        "eligibility": ["ECFD"],
        "hiv_status": "HSTN",
        "school_level": "SLPR",
    }
    body.update(overrides)
    return body


def test_exit_with_transfer_then_each_side_sees_its_own(world, beta_household, acme_partner):
    beta = client_on(world.beta, world.beta_worker)
    enrolment = beta_household.enrolment
    receivers = beta.get("/api/v1/ovc/transfers/receivers").json()["items"]
    assert receivers == [{"id": acme_partner.pk, "name": acme_partner.name}]
    response = beta.post(
        f"/api/v1/ovc/children/{enrolment.pk}/exit",
        _exit_body(acme_partner.pk),
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    exited = response.json()
    assert exited["status"] == "exited" and exited["exit_reason"] == "ERFO"
    transfer_id = exited["transfer_id"]

    acme = client_on(acme_partner, world.acme_worker)
    (incoming,) = acme.get("/api/v1/ovc/transfers?direction=in").json()["items"]
    assert incoming["id"] == transfer_id and incoming["direction"] == "in"
    assert incoming["child_name"].upper() == "BARAKA WANJIKU" and incoming["child_sex"] == "SMAL"
    assert incoming["sender_name"] == world.beta.name and incoming["note"] == "Moved to Kisumu"
    assert incoming["sender_enrolment_id"] is None  # nothing of the sender's records
    assert incoming["proposed_caregiver_id"] == beta_household.household.head_id

    accepted = acme.post(
        f"/api/v1/ovc/transfers/{transfer_id}/accept",
        _accept_body(caregiver=beta_household.household.head_id),
        content_type=JSON,
    )
    assert accepted.status_code == 200, accepted.content
    ours = accepted.json()["receiver_enrolment_id"]
    with workspace_context(acme_partner):
        assert Enrolment.objects.get(pk=ours).child_id == enrolment.child_id

    (outgoing,) = beta.get("/api/v1/ovc/transfers?direction=out").json()["items"]
    assert outgoing["status"] == "accepted" and outgoing["decided_at"]
    assert outgoing["receiver_enrolment_id"] is None  # nothing of the receiver's records
    assert outgoing["sender_enrolment_id"] == enrolment.pk
    assert outgoing["proposed_caregiver_id"] is None
    assert beta.get(f"/api/v1/ovc/transfers/{transfer_id}").json()["status"] == "accepted"


def test_decline_and_withdraw_through_the_api(world, sent, acme_partner):
    acme = client_on(acme_partner, world.acme_worker)
    url = f"/api/v1/ovc/transfers/{sent.pk}"
    missing = acme.post(f"{url}/decline", {"reason": " "}, content_type=JSON)
    assert missing.status_code == 422 and "reason" in missing.json()["errors"]
    beta = client_on(world.beta, world.beta_worker)
    assert beta.post(f"{url}/decline", {"reason": "x"}, content_type=JSON).status_code == 403
    assert acme.post(f"{url}/withdraw", {"reason": "x"}, content_type=JSON).status_code == 403
    declined = acme.post(f"{url}/decline", {"reason": "No CHV there"}, content_type=JSON)
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    seen = beta.get(url).json()
    assert seen["decline_reason"] == "No CHV there" and seen["status"] == "declined"
    late = beta.post(f"{url}/withdraw", {"reason": "x"}, content_type=JSON)
    assert late.status_code == 422


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"transfer_note": "x" * 5001}, "transfer_note"),
        ({"transfer_note": "a\x00b"}, "transfer_note"),
        ({"exit_reason": "ERXX"}, "exit_reason"),
        ({"exit_reason": "E" * 17}, "exit_reason"),
        ({"receiver": 0}, "receiver"),
        ({"receiver": 2**70}, "receiver"),
        ({"receiver": None}, "receiver"),
        ({"exit_date": "yesterday"}, "exit_date"),
    ],
)
def test_bad_exit_input_is_a_422_naming_the_field(
    world, beta_household, acme_partner, overrides, field
):
    response = client_on(world.beta, world.beta_worker).post(
        f"/api/v1/ovc/children/{beta_household.enrolment.pk}/exit",
        _exit_body(**{"receiver": acme_partner.pk, **overrides}),
        content_type=JSON,
    )
    assert response.status_code == 422, response.content
    assert field in str(response.json()["errors"])
    with workspace_context(world.beta):
        assert Enrolment.objects.get(pk=beta_household.enrolment.pk).is_active
    assert not OvcTransfer.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_accept_body(caregiver=10**9), "caregiver"),
        (_accept_body(), "household"),
        (_accept_body(household=10**9), "household"),
        (_accept_body(eligibility=["ECFD"] * 51), "eligibility"),
        (_accept_body(facility="x" * 201), "facility"),
        (_accept_body(hiv_status="HSXX", household=None), "household"),
        (_accept_body(caregiver_relation="TOVC"), "caregiver_relation"),
        (_accept_body(caregiver_hiv_status="NOPE"), "caregiver_hiv_status"),
    ],
)
def test_bad_accept_input_is_a_422_naming_the_field(world, sent, acme_partner, body, field):
    if field.startswith("caregiver_"):  # the new household's head: the proposed caregiver
        body = {**body, "caregiver": sent.proposed_caregiver_id}
    response = client_on(acme_partner, world.acme_worker).post(
        f"/api/v1/ovc/transfers/{sent.pk}/accept", body, content_type=JSON
    )
    assert response.status_code == 422, response.content
    assert field in str(response.json()["errors"])
    sent.refresh_from_db()
    assert sent.status == "pending"


@pytest.mark.parametrize(
    "query",
    ["limit=100000", "offset=-1", "offset=10000000000", "direction=sideways", "q=" + "x" * 201],
)
def test_bad_listing_queries_are_a_422(world, sent, acme_partner, query):
    response = client_on(acme_partner, world.acme_worker).get(f"/api/v1/ovc/transfers?{query}")
    assert response.status_code == 422


@pytest.mark.parametrize("transfer_id", ["0", "abc", str(2**70)])
def test_bad_transfer_ids_are_refused(world, sent, acme_partner, transfer_id):
    response = client_on(acme_partner, world.acme_worker).get(
        f"/api/v1/ovc/transfers/{transfer_id}"
    )
    assert response.status_code in (404, 422)


def test_outsiders_get_nothing_and_change_nothing(world, sent, acme_partner):
    url = f"/api/v1/ovc/transfers/{sent.pk}"
    viewer = UserFactory()
    membership_grant(user=viewer, organisation=acme_partner, roles=[Role.VIEWER])
    stranger = UserFactory()  # a beta worker whose caseload does not hold the household
    membership_grant(user=stranger, organisation=world.beta, roles=[Role.CASE_WORKER])
    clients = {
        "acme admin on beta's host": client_on(world.beta, world.acme_admin),
        "hq admin on acme's host": client_on(acme_partner, world.hq_admin),
        "outsider on acme's host": client_on(acme_partner, world.outsider),
        "anonymous on acme's host": client_on(acme_partner),
        "beta worker outside the caseload": client_on(world.beta, stranger),
    }
    for who, client in clients.items():
        for listing in ("in", "out"):
            answer = client.get(f"/api/v1/ovc/transfers?direction={listing}")
            assert "BARAKA" not in answer.content.decode().upper(), who
        answer = client.get(url)
        assert answer.status_code in (401, 403, 404), who
        for step in ("accept", "decline", "withdraw"):
            body = _accept_body(caregiver=sent.proposed_caregiver_id) | {"reason": "x"}
            answer = client.post(f"{url}/{step}", body, content_type=JSON)
            assert answer.status_code in (401, 403, 404), (who, step)
    # a viewer of the receiver sees the transfer but may not decide on it
    watcher = client_on(acme_partner, viewer)
    assert watcher.get(url).status_code == 200
    assert watcher.post(f"{url}/decline", {"reason": "x"}, content_type=JSON).status_code == 403
    # a workspace that runs no OVC programme answers 404
    acme_partner.kind = "cci"
    acme_partner.save(update_fields=["kind"])
    assert client_on(acme_partner, world.acme_worker).get(url).status_code == 404
    sent.refresh_from_db()
    assert sent.status == "pending" and not sent.events.exclude(kind="sent").exists()
