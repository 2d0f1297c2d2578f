"""An organisation administrator's webhook screens and API: nothing ticked by default, the
secret shown once, the delivery log with replay, pause, resume, rotation and deletion; bad
input kept on the form (422 naming the field on the API); another organisation's ids 404;
a platform-owned subscription in no workspace."""

from __future__ import annotations

import re

import pytest

from tenants.models import Role
from tenants.services import membership_grant
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.webhooks.conftest import subscribe
from webhooks.models import DeliveryStatus, SubscriptionStatus, WebhookSubscription
from webhooks.services import webhook_emit
from webhooks.signing import signature_verify

pytestmark = pytest.mark.django_db
BASE = "/organisation/webhooks/"
API = "/api/v1"
DATA = {"reference": "REF-9", "status": "accepted"}


@pytest.fixture
def beta_admin(world):
    user = UserFactory(email="admin2@beta.test")
    membership_grant(user=user, organisation=world.beta, roles=[Role.ORGANISATION_ADMIN])
    return user


@pytest.fixture
def acme(world):
    return client_on(world.acme, world.acme_admin)


def delivered(world, receiver, capture):
    subscription, secret = subscribe(world.acme, receiver, world.acme_admin)
    with capture(execute=True):
        [delivery] = webhook_emit(event="referral.accepted", data=DATA, organisation=world.acme)
    return subscription, secret, delivery


# --- screens ------------------------------------------------------------------------------------
def test_only_administrators_see_the_webhooks(world, acme):
    page = acme.get(BASE)
    assert page.status_code == 200 and b'data-testid="webhooks"' in page.content
    assert b'href="/organisation/webhooks/"' in acme.get("/").content  # in the navigation
    worker = client_on(world.acme, world.acme_worker)
    assert worker.get(BASE).status_code == 403
    assert worker.get(BASE + "new/").status_code == 403
    assert b'href="/organisation/webhooks/"' not in worker.get("/").content


def test_no_event_is_ticked_by_default(acme):
    page = acme.get(BASE + "new/").content.decode()
    boxes = re.findall(r'<input type="checkbox" name="events"[^>]*>', page)
    assert len(boxes) == 7
    assert not any("checked" in box for box in boxes)


def test_a_refused_form_keeps_what_was_typed_and_creates_nothing(world, acme):
    response = acme.post(
        BASE + "new/",
        {"url": "ftp://partner.example/x", "events": ["referral.received"], "description": "CRM"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "http:// or https://" in page
    assert 'value="ftp://partner.example/x"' in page and 'value="CRM"' in page
    assert re.search(
        r'<input type="checkbox" name="events" value="referral.received"[^>]*checked', page
    )
    response = acme.post(BASE + "new/", {"url": "https://partner.example/x", "events": []})
    assert response.status_code == 400 and "Choose at least one event." in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_creating_shows_the_secret_once(world, acme):
    response = acme.post(
        BASE + "new/",
        {
            "url": "https://partner.example/hooks",
            "events": ["referral.received"],
            "description": "CRM",
        },
    )
    assert response.status_code == 200
    secret = re.search(r'data-testid="webhook-secret">(whsec_[^<]+)<', response.content.decode())[1]
    subscription = WebhookSubscription.objects.get()
    assert subscription.organisation == world.acme and subscription.events == ["referral.received"]
    assert subscription.created_by == world.acme_admin
    detail = acme.get(f"{BASE}{subscription.pk}/").content.decode()
    assert secret not in detail and "https://partner.example/hooks" in detail


def test_the_log_filters_and_a_delivery_is_replayed_from_the_screen(
    world, acme, receiver, django_capture_on_commit_callbacks
):
    subscription, secret, delivery = delivered(world, receiver, django_capture_on_commit_callbacks)
    page = acme.get(f"{BASE}{subscription.pk}/").content.decode()
    assert str(delivery.uuid) in page and "referral.accepted" in page
    assert (
        str(delivery.uuid)
        not in acme.get(f"{BASE}{subscription.pk}/?status=failed").content.decode()
    )
    assert (
        str(delivery.uuid)
        in acme.get(f"{BASE}{subscription.pk}/?q={str(delivery.uuid)[:8]}").content.decode()
    )
    assert (
        str(delivery.uuid) not in acme.get(f"{BASE}{subscription.pk}/?q=agreement").content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = acme.post(f"{BASE}deliveries/{delivery.pk}/replay/")
    assert response.status_code == 302
    assert [r.headers["X-Cpims-Delivery"] for r in receiver.received] == [str(delivery.uuid)] * 2
    attempts = acme.get(f"{BASE}deliveries/{delivery.pk}/").content.decode()
    assert attempts.count("<td>200</td>") == 2 and "replay" in attempts


def test_pause_resume_rotate_and_delete_from_the_screen(
    world, acme, receiver, django_capture_on_commit_callbacks
):
    subscription, old, _ = delivered(world, receiver, django_capture_on_commit_callbacks)
    url = f"{BASE}{subscription.pk}/"
    assert acme.post(url + "pause/").status_code == 302
    subscription.refresh_from_db()
    assert (
        subscription.status == SubscriptionStatus.PAUSED
        and world.acme_admin.email in subscription.paused_reason
    )
    assert b'data-testid="replay"' not in acme.get(url).content
    assert acme.post(url + "resume/").status_code == 302
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE
    response = acme.post(url + "rotate/")
    new = re.search(r'data-testid="webhook-secret">(whsec_[^<]+)<', response.content.decode())[1]
    assert new != old
    with django_capture_on_commit_callbacks(execute=True):
        webhook_emit(event="referral.accepted", data=DATA, organisation=world.acme)
    request = receiver.received[-1]
    for secret in (old, new):
        assert signature_verify(
            secret,
            request.headers["X-Cpims-Timestamp"],
            request.body,
            request.headers["X-Cpims-Signature"],
        )
    assert acme.post(url + "nonsense/").status_code == 404
    assert acme.post(url + "delete/").status_code == 302
    assert not WebhookSubscription.objects.exists()


def test_another_organisation_sees_and_touches_nothing(
    world, beta_admin, receiver, django_capture_on_commit_callbacks
):
    subscription, _, delivery = delivered(world, receiver, django_capture_on_commit_callbacks)
    beta = client_on(world.beta, beta_admin)
    assert str(subscription.url).encode() not in beta.get(BASE).content
    for url in (f"{BASE}{subscription.pk}/", f"{BASE}deliveries/{delivery.pk}/"):
        assert beta.get(url).status_code == 404
    for url in (
        f"{BASE}{subscription.pk}/pause/",
        f"{BASE}{subscription.pk}/delete/",
        f"{BASE}{subscription.pk}/rotate/",
        f"{BASE}deliveries/{delivery.pk}/replay/",
    ):
        assert beta.post(url).status_code == 404
    for method, url in (
        ("get", f"/webhooks/{subscription.pk}"),
        ("delete", f"/webhooks/{subscription.pk}"),
        ("get", f"/webhooks/{subscription.pk}/deliveries"),
        ("post", f"/webhooks/deliveries/{delivery.pk}/replay"),
    ):
        assert getattr(beta, method)(API + url).status_code == 404, url
    assert beta.get(API + "/webhooks").json()["items"] == []
    subscription.refresh_from_db()
    assert subscription.is_active and len(receiver.received) == 1


def test_a_platform_owned_subscription_is_in_no_workspace(world, acme, receiver):
    platform, _ = subscribe(None, receiver, events=["intake.outcome"])
    assert receiver.url.encode() not in acme.get(BASE).content
    assert acme.get(f"{BASE}{platform.pk}/").status_code == 404
    assert acme.get(f"{API}/webhooks/{platform.pk}").status_code == 404
    assert acme.get(API + "/webhooks").json()["items"] == []


# --- API ----------------------------------------------------------------------------------------
def test_the_api_subscribes_lists_reads_and_deletes(world, acme):
    response = acme.post(
        API + "/webhooks",
        {"url": "https://partner.example/hooks", "events": ["referral.received"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["secret"].startswith("whsec_") and body["events"] == ["referral.received"]
    assert body["status"] == "active"
    listed = acme.get(API + "/webhooks").json()["items"]
    assert [w["id"] for w in listed] == [body["id"]] and "secret" not in listed[0]
    one = acme.get(f"{API}/webhooks/{body['id']}").json()
    assert one["url"] == "https://partner.example/hooks" and "secret" not in one
    assert acme.get(f"{API}/webhooks/{body['id']}/deliveries").json()["items"] == []
    assert acme.delete(f"{API}/webhooks/{body['id']}").status_code == 204
    assert acme.get(f"{API}/webhooks/{body['id']}").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"url": "ftp://x.example/", "events": ["referral.received"]}, "url"),
        ({"url": "https://x.example/" + "a" * 600, "events": ["referral.received"]}, "url"),
        ({"url": "https://x.example/", "events": []}, "events"),
        ({"url": "https://x.example/", "events": ["child.born"]}, "events"),
        ({"url": "https://x.example/"}, "events"),
        ({"events": ["referral.received"]}, "url"),
        (
            {
                "url": "https://x.example/",
                "events": ["referral.received"],
                "description": "d" * 300,
            },
            "description",
        ),
    ],
)
def test_the_api_refuses_bad_input_naming_the_field(world, acme, payload, field):
    response = acme.post(API + "/webhooks", payload, content_type="application/json")
    assert response.status_code == 422
    assert field in response.json()["errors"], response.json()
    assert not WebhookSubscription.objects.exists()


def test_the_api_reads_the_log_and_replays(
    world, acme, receiver, django_capture_on_commit_callbacks
):
    subscription, _, delivery = delivered(world, receiver, django_capture_on_commit_callbacks)
    log = acme.get(f"{API}/webhooks/{subscription.pk}/deliveries").json()["items"]
    assert [(d["uuid"], d["status"], d["last_status_code"], d["data"]) for d in log] == [
        (str(delivery.uuid), "succeeded", 200, DATA)
    ]
    assert (
        acme.get(f"{API}/webhooks/{subscription.pk}/deliveries?status=failed").json()["items"] == []
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = acme.post(f"{API}/webhooks/deliveries/{delivery.pk}/replay")
    assert response.status_code == 202 and response.json()["replays"] == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and len(receiver.received) == 2
    # a paused webhook's delivery is not replayed: 422, nothing sent
    subscription.status = SubscriptionStatus.PAUSED
    subscription.save()
    assert acme.post(f"{API}/webhooks/deliveries/{delivery.pk}/replay").status_code == 422
    assert len(receiver.received) == 2


def test_a_case_worker_is_refused_by_the_api(world):
    worker = client_on(world.acme, world.acme_worker)
    assert worker.get(API + "/webhooks").status_code == 403
    response = worker.post(
        API + "/webhooks",
        {"url": "https://x.example/", "events": ["referral.received"]},
        content_type="application/json",
    )
    assert response.status_code == 403 and not WebhookSubscription.objects.exists()
