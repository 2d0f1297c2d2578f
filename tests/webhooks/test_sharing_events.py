"""Steps of governed sharing reach the subscriptions of the organisations concerned, and
no one else's, carrying references and statuses only."""

from __future__ import annotations

import json

import pytest

from sharing import services
from tenants.actor import Actor
from tests.conftest import client_on
from tests.sharing.conftest import SECRET_NARRATIVE, SHARED_VILLAGE, request_agreement
from tests.sharing.test_transfer import accept_data, send
from tests.webhooks.conftest import subscribe
from webhooks.events import DATA_KEYS
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db


def bodies(receiver) -> list[dict]:
    return [json.loads(request.body) for request in receiver.received]


def assert_no_personal_data(receiver, scene):
    for request in receiver.received:
        text = request.body.decode()
        for private in (
            scene.child.first_name,
            scene.child.surname,
            scene.case.national_reference,
            SHARED_VILLAGE,
            SECRET_NARRATIVE,
        ):
            assert private not in text
        assert set(json.loads(text)["data"]) <= DATA_KEYS


def test_a_referral_sent_tells_the_receiver_only(
    world, scene, consent, receiver, django_capture_on_commit_callbacks
):
    from tests.webhooks.standin import StandIn

    others = StandIn().start()
    try:
        subscribe(world.acme, receiver, events=["referral.received"])
        subscribe(world.acme, others, events=["referral.accepted", "agreement.approved"])
        subscribe(world.beta, others)  # the sender hears nothing of its own sending
        with django_capture_on_commit_callbacks(execute=True):
            referral = send(world, scene, consent)
        [body] = bodies(receiver)
        assert not others.received
    finally:
        others.stop()
    assert body["event"] == "referral.received"
    assert body["data"] == {
        "referral_id": referral.pk,
        "reference": str(referral.uuid),
        "kind": "referral",
        "status": "pending",
        "organisation": "beta",
        "occurred_on": body["data"]["occurred_on"],
    }
    assert_no_personal_data(receiver, scene)
    assert WebhookDelivery.objects.count() == 1


def test_a_transfer_accepted_tells_the_sender(
    world, scene, consent, receiver, django_capture_on_commit_callbacks
):
    subscribe(world.beta, receiver, events=["referral.accepted", "transfer.accepted"])
    referral = send(world, scene, consent, kind="transfer")
    acme = client_on(world.acme, world.acme_worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = acme.post(f"/cases/referrals-in/{referral.pk}/accept/", accept_data())
    assert response.status_code == 302
    assert sorted(b["event"] for b in bodies(receiver)) == [
        "referral.accepted",
        "transfer.accepted",
    ]
    assert {b["data"]["kind"] for b in bodies(receiver)} == {"transfer"}
    assert {b["data"]["status"] for b in bodies(receiver)} == {"accepted"}
    assert_no_personal_data(receiver, scene)


def test_a_referral_declined_tells_the_sender(
    world, scene, consent, receiver, django_capture_on_commit_callbacks
):
    subscribe(world.beta, receiver, events=["referral.declined"])
    referral = send(world, scene, consent)
    acme = client_on(world.acme, world.acme_worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = acme.post(
            f"/cases/referrals-in/{referral.pk}/decline/", {"reason": "No place for her"}
        )
    assert response.status_code == 302
    [body] = bodies(receiver)
    assert body["event"] == "referral.declined" and body["data"]["status"] == "declined"
    assert "No place" not in json.dumps(body)  # a reason in words stays home


def test_an_agreement_approved_and_revoked_tells_both_parties(
    world, scene, receiver, django_capture_on_commit_callbacks
):
    subscribe(world.acme, receiver, events=["agreement.approved", "agreement.revoked"])
    subscribe(world.beta, receiver, events=["agreement.approved"])
    agreement = request_agreement(world, scene)
    services.agreement_accept(agreement=agreement, actor=Actor(user=scene.beta_admin))
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_approve(agreement=agreement, actor=Actor(user=scene.approver))
    approved = bodies(receiver)
    assert [b["event"] for b in approved] == ["agreement.approved"] * 2
    assert sorted((b["data"]["kind"], b["data"]["organisation"]) for b in approved) == [
        ("provider", "acme"),
        ("requester", "beta"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_revoke(
            agreement=agreement, actor=Actor(user=world.acme_admin), reason="Placement ended"
        )
    revoked = bodies(receiver)[2:]
    assert [(b["event"], b["data"]["agreement_id"]) for b in revoked] == [
        ("agreement.revoked", agreement.pk)
    ]
