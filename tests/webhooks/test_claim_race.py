"""Two workers claiming one delivery at once (the task sent after the commit and the sweeper,
or two workers given the same id): exactly one claims it, so it is sent once. The rows are
committed by a thread of their own; a third connection holds the delivery's row until both
claims wait for it, then the database decides."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.races import own_connection, wait_until_waiting
from tests.webhooks.conftest import subscribe
from tests.webhooks.test_real_broker import in_own_transaction
from webhooks.delivery import _claim
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from webhooks.services import webhook_emit

pytestmark = pytest.mark.django_db


def test_two_claims_at_once_send_a_delivery_once(receiver):
    def create():
        subscription, _ = subscribe(None, receiver, events=["intake.outcome"])
        [delivery] = webhook_emit(
            event="intake.outcome", data={"reference": "R"}, subscriptions=[subscription]
        )
        # (sent at once, in-process: make it due again, as if not yet sent)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.PENDING, next_attempt_at=timezone.now() - timedelta(seconds=1)
        )
        return subscription.pk, delivery.pk

    subscription_id, delivery_id = in_own_transaction(create)
    claimed: list[bool] = []
    try:
        with own_connection() as holder:
            holder.set_autocommit(False)
            with holder.cursor() as cursor:
                cursor.execute(
                    f"SELECT id FROM {WebhookDelivery._meta.db_table} WHERE id = %s FOR UPDATE",
                    [delivery_id],
                )

            def claim():
                try:
                    claimed.append(_claim(delivery_id))
                finally:
                    connection.close()

            threads = [threading.Thread(target=claim) for _ in range(2)]
            for thread in threads:
                thread.start()
            with own_connection() as watcher:
                wait_until_waiting(watcher, 2)
            holder.commit()
            for thread in threads:
                thread.join(30)
        assert sorted(claimed) == [False, True]
    finally:
        in_own_transaction(lambda: WebhookSubscription.objects.filter(pk=subscription_id).delete())
