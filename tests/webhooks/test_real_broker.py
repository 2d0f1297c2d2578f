"""A delivery through a real Redis broker to a real Celery worker (with REDIS_URL; without
it, in-process as every other test): the rows the worker reads are committed first, by a
thread of their own, read back the same way (the worker's start closes the test's own
connection) and removed afterwards."""

from __future__ import annotations

import os
import threading
import time

import pytest
from django.db import connection

from cpims.celery import app
from tests.webhooks.conftest import subscribe
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from webhooks.services import webhook_emit
from webhooks.signing import signature_verify
from webhooks.tasks import deliver

pytestmark = pytest.mark.django_db


def in_own_transaction(work):
    """Run ``work`` in another thread (its own connection, committed at once)."""
    result = {}

    def run():
        try:
            result["value"] = work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result["value"]


@pytest.mark.real_broker
def test_a_delivery_goes_through_the_broker_to_a_worker_and_is_signed(receiver):
    def create():
        subscription, secret = subscribe(None, receiver, events=["intake.outcome"])
        [delivery] = webhook_emit(
            event="intake.outcome",
            data={"reference": "INT-1", "status": "accepted"},
            subscriptions=[subscription],
        )
        return subscription.pk, delivery.pk, secret

    subscription_id, delivery_id, secret = in_own_transaction(create)
    try:
        if os.environ.get("REDIS_URL"):
            from celery.contrib.testing.worker import start_worker

            assert not app.conf.task_always_eager
            with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
                deliver.delay(delivery_id)
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline and not receiver.received:
                    time.sleep(0.1)
                time.sleep(0.5)  # the worker records the answer after the receiver has it
        else:  # in-process: in the committing thread too, so that the reads below see it
            in_own_transaction(lambda: deliver.delay(delivery_id))
        [request] = receiver.received
        assert signature_verify(
            secret,
            request.headers["X-Cpims-Timestamp"],
            request.body,
            request.headers["X-Cpims-Signature"],
        )
        delivery = in_own_transaction(lambda: WebhookDelivery.objects.get(pk=delivery_id))
        assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 1
    finally:
        in_own_transaction(lambda: WebhookSubscription.objects.filter(pk=subscription_id).delete())
