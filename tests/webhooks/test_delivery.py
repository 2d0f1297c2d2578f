"""Deliveries to a stand-in receiver: signed, logged, retried with backoff, given up, paused
after repeated failure (and the administrators told), replayed, signed with two secrets
while a rotated one is in its window; and ``webhook_emit`` refuses personal data."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.webhooks.conftest import subscribe
from tests.webhooks.standin import TIMEOUT
from webhooks import tasks
from webhooks.delivery import MAX_ATTEMPTS
from webhooks.models import DeliveryStatus, SubscriptionStatus, WebhookDelivery
from webhooks.services import (
    delivery_replay,
    subscription_create,
    subscription_resume,
    subscription_rotate_secret,
    webhook_emit,
)
from webhooks.signing import signature, signature_verify

pytestmark = pytest.mark.django_db
DATA = {"reference": "REF-1", "status": "accepted", "occurred_on": "2026-12-01"}


def emit(organisation, capture, event="referral.accepted", data=None):
    with capture(execute=True):
        return webhook_emit(event=event, data=data or DATA, organisation=organisation)


def make_due(delivery):
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def sweep(capture):
    with capture(execute=True):
        return tasks.sweep.delay().get()


# --- signing ------------------------------------------------------------------------------------
def test_a_signature_verifies_and_a_tampered_body_or_an_old_timestamp_does_not():
    now = int(time.time())
    body = b'{"id":"x"}'
    header = f"v1={signature('whsec_a', now, body)}"
    assert signature_verify("whsec_a", str(now), body, header)
    assert not signature_verify("whsec_a", str(now), b'{"id":"y"}', header)
    assert not signature_verify("whsec_b", str(now), body, header)
    assert not signature_verify("whsec_a", str(now + 1), body, header)  # the timestamp is signed
    old = now - 301
    assert not signature_verify("whsec_a", old, body, f"v1={signature('whsec_a', old, body)}")
    assert signature_verify("whsec_a", old, body, f"v1={signature('whsec_a', old, body)}", 600)
    assert not signature_verify("whsec_a", "not-a-time", body, header)
    assert not signature_verify("whsec_a", now, body, "")
    # either of two values verifies (rotation)
    assert signature_verify("whsec_a", now, body, f"v1={'0' * 64}, {header}")


def test_the_secret_is_encrypted_at_rest_and_shown_once(world, receiver):
    subscription, secret = subscribe(world.acme, receiver, world.acme_admin)
    assert secret.startswith("whsec_") and len(secret) > 40
    assert secret not in subscription.secret_encrypted
    subscription.refresh_from_db()
    assert secret not in str(subscription.__dict__)


# --- delivering ---------------------------------------------------------------------------------
def test_a_delivery_is_signed_sent_after_commit_and_logged(
    world, receiver, django_capture_on_commit_callbacks
):
    subscription, secret = subscribe(world.acme, receiver, world.acme_admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        [delivery] = webhook_emit(event="referral.accepted", data=DATA, organisation=world.acme)
    assert not receiver.received  # nothing leaves before the caller's transaction commits
    for callback in callbacks:
        callback()
    [request] = receiver.received
    document = json.loads(request.body)
    assert document == {
        "id": str(delivery.uuid),
        "event": "referral.accepted",
        "occurred_at": delivery.created_at.isoformat(),
        "data": DATA,
    }
    headers = request.headers
    assert headers["X-Cpims-Event"] == "referral.accepted"
    assert headers["X-Cpims-Delivery"] == str(delivery.uuid)
    assert signature_verify(
        secret, headers["X-Cpims-Timestamp"], request.body, headers["X-Cpims-Signature"]
    )
    assert headers["X-Cpims-Signature"].count("v1=") == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.last_status_code == 200
    assert delivery.delivered_at is not None and delivery.attempts == 1
    [attempt] = delivery.attempt_log.all()
    assert attempt.status_code == 200 and attempt.error == "" and attempt.duration_ms >= 0


def test_only_the_organisations_subscriptions_to_the_event_receive_it(
    world, receiver, django_capture_on_commit_callbacks
):
    subscribe(world.acme, receiver, events=["referral.received"])  # not this event
    subscribe(world.beta, receiver)  # another organisation
    assert emit(world.acme, django_capture_on_commit_callbacks) == []
    assert not receiver.received and not WebhookDelivery.objects.exists()


def test_a_500_is_retried_with_backoff_and_then_succeeds(
    world, receiver, django_capture_on_commit_callbacks
):
    subscribe(world.acme, receiver)
    receiver.script = [500]
    before = timezone.now()
    [delivery] = emit(world.acme, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
    assert delivery.last_status_code == 500 and delivery.last_error == "HTTP 500"
    wait = (delivery.next_attempt_at - before).total_seconds()
    assert 29 < wait <= 38  # 30 s, plus up to a quarter of jitter
    # not yet due: neither the task nor the sweeper sends it again
    assert tasks.deliver.delay(delivery.pk).get() is None
    assert sweep(django_capture_on_commit_callbacks) == 0
    assert len(receiver.received) == 1
    make_due(delivery)
    assert sweep(django_capture_on_commit_callbacks) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 2
    first, second = receiver.received
    assert first.headers["X-Cpims-Delivery"] == second.headers["X-Cpims-Delivery"]
    assert first.body == second.body
    assert [a.status_code for a in delivery.attempt_log.order_by("at")] == [500, 200]
    delivery.subscription.refresh_from_db()
    assert delivery.subscription.consecutive_failures == 0


def test_the_backoff_doubles_and_the_delivery_is_given_up_after_the_last_attempt(
    world, receiver, django_capture_on_commit_callbacks
):
    subscribe(world.acme, receiver)
    receiver.default = 503
    [delivery] = emit(world.acme, django_capture_on_commit_callbacks)
    waits = []
    for _ in range(MAX_ATTEMPTS - 1):
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.FAILED
        waits.append((delivery.next_attempt_at - timezone.now()).total_seconds())
        make_due(delivery)
        tasks.deliver.delay(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.GIVEN_UP and delivery.next_attempt_at is None
    assert delivery.attempts == MAX_ATTEMPTS == len(receiver.received)
    assert all(later > 1.5 * earlier for earlier, later in zip(waits, waits[1:], strict=False))
    assert tasks.deliver.delay(delivery.pk).get() is None  # nothing more
    assert len(receiver.received) == MAX_ATTEMPTS


def test_a_timeout_and_a_redirect_are_failures_and_the_redirect_is_not_followed(
    world, receiver, django_capture_on_commit_callbacks
):
    subscribe(world.acme, receiver)
    receiver.script = [TIMEOUT, 302]
    [slow] = emit(world.acme, django_capture_on_commit_callbacks)
    slow.refresh_from_db()
    assert slow.status == DeliveryStatus.FAILED and slow.last_status_code is None
    assert "timed out" in slow.last_error
    [moved] = emit(world.acme, django_capture_on_commit_callbacks)
    moved.refresh_from_db()
    assert moved.status == DeliveryStatus.FAILED and moved.last_status_code == 302
    assert len(receiver.received) == 2  # the redirect's target was never called


def test_repeated_failure_pauses_the_subscription_and_mails_the_admins_once(
    world, receiver, settings, django_capture_on_commit_callbacks
):
    settings.CPIMS_WEBHOOKS_PAUSE_AFTER = 3
    subscription, _ = subscribe(world.acme, receiver, world.acme_admin)
    receiver.default = 500
    mail.outbox.clear()
    for _ in range(3):
        emit(world.acme, django_capture_on_commit_callbacks)
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.PAUSED
    assert subscription.consecutive_failures == 3 and subscription.paused_at is not None
    assert "3" in subscription.paused_reason
    [message] = mail.outbox
    assert message.to == [world.acme_admin.email] and receiver.url in message.subject
    # paused: no new delivery, and the waiting ones are not sent
    assert emit(world.acme, django_capture_on_commit_callbacks) == []
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert sweep(django_capture_on_commit_callbacks) == 0
    assert len(receiver.received) == 3
    # resumed: the failed deliveries go out at once, and the count starts afresh
    receiver.default = 200
    with django_capture_on_commit_callbacks(execute=True):
        subscription_resume(subscription=subscription)
    assert len(receiver.received) == 6
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscription.consecutive_failures == 0 and len(mail.outbox) == 1


def test_410_gone_pauses_at_once(world, receiver, django_capture_on_commit_callbacks):
    subscription, _ = subscribe(world.acme, receiver, world.acme_admin)
    receiver.script = [410]
    mail.outbox.clear()
    [delivery] = emit(world.acme, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    subscription.refresh_from_db()
    assert delivery.status == DeliveryStatus.GIVEN_UP and delivery.last_status_code == 410
    assert subscription.status == SubscriptionStatus.PAUSED and "410" in subscription.paused_reason
    assert len(mail.outbox) == 1


def test_replay_resends_with_the_same_delivery_id(
    world, receiver, django_capture_on_commit_callbacks
):
    subscribe(world.acme, receiver)
    [delivery] = emit(world.acme, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        delivery_replay(delivery=delivery)
    first, second = receiver.received
    assert first.headers["X-Cpims-Delivery"] == second.headers["X-Cpims-Delivery"]
    assert first.body == second.body
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.replays == 1
    assert [a.replay for a in delivery.attempt_log.order_by("at")] == [False, True]


def test_a_paused_subscriptions_delivery_is_not_replayed(
    world, receiver, django_capture_on_commit_callbacks
):
    subscription, _ = subscribe(world.acme, receiver)
    receiver.script = [410]
    [delivery] = emit(world.acme, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        delivery_replay(delivery=delivery)
    assert len(receiver.received) == 1


def test_rotation_signs_with_both_secrets_in_its_window_then_only_the_new(
    world, receiver, django_capture_on_commit_callbacks
):
    subscription, old = subscribe(world.acme, receiver)
    new = subscription_rotate_secret(subscription=subscription)
    assert new != old
    subscription.refresh_from_db()
    window = subscription.previous_secret_until - timezone.now()
    assert timedelta(hours=23) < window <= timedelta(hours=24)
    emit(world.acme, django_capture_on_commit_callbacks)
    request = receiver.received[-1]
    header = request.headers["X-Cpims-Signature"]
    timestamp = request.headers["X-Cpims-Timestamp"]
    assert header.count("v1=") == 2
    assert signature_verify(old, timestamp, request.body, header)
    assert signature_verify(new, timestamp, request.body, header)
    subscription.previous_secret_until = timezone.now() - timedelta(seconds=1)
    subscription.save()
    emit(world.acme, django_capture_on_commit_callbacks)
    request = receiver.received[-1]
    header = request.headers["X-Cpims-Signature"]
    timestamp = request.headers["X-Cpims-Timestamp"]
    assert header.count("v1=") == 1
    assert signature_verify(new, timestamp, request.body, header)
    assert not signature_verify(old, timestamp, request.body, header)


# --- refusals -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "data",
    [
        {"reference": "R1", "child_name": "Neema Chepkoech"},
        {"reference": "R1", "date_of_birth": "2015-01-01"},
        {"reference": {"name": "Neema"}},
        {"status": ["accepted", "Neema"]},
    ],
)
def test_emit_refuses_personal_data_and_creates_nothing(world, receiver, data):
    subscribe(world.acme, receiver)
    with pytest.raises(ValueError):
        webhook_emit(event="referral.accepted", data=data, organisation=world.acme)
    assert not WebhookDelivery.objects.exists()


def test_a_private_target_is_refused_unless_the_setting_allows_it(
    world, receiver, settings, django_capture_on_commit_callbacks
):
    subscription, _ = subscribe(world.acme, receiver)
    settings.CPIMS_WEBHOOKS_ALLOW_PRIVATE = False
    for url in (receiver.url, "http://localhost/x", "http://10.0.0.1/x", "http://[::1]/x"):
        with pytest.raises(ValidationError) as error:
            subscription_create(
                organisation=world.acme, url=url, events=["referral.received"], created_by=None
            )
        assert "url" in error.value.message_dict
    # a subscription made while allowed is refused at sending time
    [delivery] = emit(world.acme, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error == "private or local address refused"
    assert not receiver.received


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"url": "ftp://example.org/x"}, "url"),
        ({"url": "https://user:pw@example.org/x"}, "url"),
        ({"url": ""}, "url"),
        ({"events": []}, "events"),
        ({"events": ["child.born"]}, "events"),
        ({"description": "x" * 201}, "description"),
    ],
)
def test_bad_subscriptions_are_refused_naming_the_field(world, fields, field):
    values = {"url": "https://example.org/hooks", "events": ["referral.received"]}
    values.update(fields)
    with pytest.raises(ValidationError) as error:
        subscription_create(organisation=world.acme, created_by=None, **values)
    assert field in error.value.message_dict
    assert not world.acme.webhook_subscriptions.exists()
