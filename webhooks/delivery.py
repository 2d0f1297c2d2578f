"""Sending a delivery: claim it, sign and POST it, log the attempt, then succeed, retry
with exponential backoff, or give up; pause a subscription that keeps failing and tell the
organisation's administrators.

A delivery is claimed by moving its ``next_attempt_at`` ahead (a lease) in one conditional
UPDATE, so the task sent after the commit and the sweeper (``deliveries_due``) never send it
twice at once. Retries are found by the sweeper (Celery beat) when they fall due.
"""

from __future__ import annotations

import json
import logging
import random
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from webhooks.models import (
    DeliveryStatus,
    SubscriptionStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from webhooks.services import subscription_secrets
from webhooks.signing import signature_header
from webhooks.transport import TIMEOUT_SECONDS, Answer, post

logger = logging.getLogger(__name__)

LEASE = timedelta(seconds=TIMEOUT_SECONDS * 6)  # a running attempt holds its delivery so long
BACKOFF_BASE_SECONDS = 30  # the n-th retry waits 30 s x 2^(n-1), plus up to a quarter more
MAX_ATTEMPTS = 8
PAUSE_AFTER_FAILURES = 20  # consecutive failed attempts, across deliveries
GONE = 410  # the receiver says it is gone for good: pause at once
USER_AGENT = "CPIMS-Webhooks/1"


def max_attempts() -> int:
    return int(getattr(settings, "CPIMS_WEBHOOKS_MAX_ATTEMPTS", MAX_ATTEMPTS))


def pause_after() -> int:
    return int(getattr(settings, "CPIMS_WEBHOOKS_PAUSE_AFTER", PAUSE_AFTER_FAILURES))


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt (1, 2, ...)."""
    seconds = BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=seconds * random.uniform(1.0, 1.25))


def delivery_body(delivery: WebhookDelivery) -> bytes:
    """The JSON body: the same bytes for every attempt of the delivery."""
    document = {
        "id": str(delivery.uuid),
        "event": delivery.event,
        "occurred_at": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(document, separators=(",", ":"), sort_keys=True).encode()


def delivery_headers(delivery: WebhookDelivery, body: bytes, secrets: list[str]) -> dict:
    timestamp = str(int(timezone.now().timestamp()))
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-CPIMS-Event": delivery.event,
        "X-CPIMS-Delivery": str(delivery.uuid),
        "X-CPIMS-Timestamp": timestamp,
        "X-CPIMS-Signature": signature_header(secrets, timestamp, body),
    }


def _claim(delivery_id: int) -> bool:
    now = timezone.now()
    return bool(
        WebhookDelivery.objects.filter(
            pk=delivery_id,
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED],
            next_attempt_at__lte=now,
            subscription__status=SubscriptionStatus.ACTIVE,
        ).update(next_attempt_at=now + LEASE)
    )


def delivery_attempt(delivery_id: int) -> str | None:
    """Try to send the delivery if it is due and its subscription active; its status after
    the attempt, or None when nothing was sent (not due, done, paused or gone)."""
    if not _claim(delivery_id):
        return None
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    body = delivery_body(delivery)
    headers = delivery_headers(delivery, body, subscription_secrets(delivery.subscription))
    answer = post(delivery.subscription.url, body, headers)
    return _record(delivery, answer)


@transaction.atomic
def _record(delivery: WebhookDelivery, answer: Answer) -> str:
    now = timezone.now()
    WebhookAttempt.objects.create(
        delivery=delivery,
        at=now,
        status_code=answer.status_code,
        duration_ms=answer.duration_ms,
        error=answer.error[:200],
        replay=delivery.attempts == 0 and delivery.replays > 0,
    )
    delivery.attempts += 1
    delivery.last_status_code = answer.status_code
    delivery.last_error = answer.error[:200]
    if answer.succeeded:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        WebhookSubscription.objects.filter(
            pk=delivery.subscription_id, consecutive_failures__gt=0
        ).update(consecutive_failures=0)
    else:
        gone = answer.status_code == GONE
        if gone or delivery.attempts >= max_attempts():
            delivery.status = DeliveryStatus.GIVEN_UP
            delivery.next_attempt_at = None
        else:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        _count_failure(delivery.subscription_id, gone=gone)
    delivery.save(
        update_fields=[
            "attempts",
            "last_status_code",
            "last_error",
            "status",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    return delivery.status


def _count_failure(subscription_id: int, *, gone: bool) -> None:
    """One more failure in a row; pause the subscription (and tell its administrators) on
    the failure that reaches the limit, or at once when the receiver answered 410 Gone."""
    WebhookSubscription.objects.filter(pk=subscription_id).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription_id)
    if subscription.status != SubscriptionStatus.ACTIVE:
        return
    if gone:
        reason = _("The receiver answered 410 Gone.")
    elif subscription.consecutive_failures >= pause_after():
        reason = _("%(n)s deliveries in a row failed.") % {"n": subscription.consecutive_failures}
    else:
        return
    subscription.status = SubscriptionStatus.PAUSED
    subscription.paused_reason = reason[:200]
    subscription.paused_at = timezone.now()
    subscription.save(update_fields=["status", "paused_reason", "paused_at"])
    transaction.on_commit(lambda: pause_mail_send(subscription))


def administrator_emails(subscription: WebhookSubscription) -> list[str]:
    """Who hears of a paused subscription: its organisation's active administrators (for a
    platform-owned one, whoever created it)."""
    from tenants.models import Membership, Role

    if subscription.organisation_id is None:
        creator = subscription.created_by
        return [creator.email] if creator and creator.email else []
    return sorted(
        set(
            Membership.objects.filter(
                organisation_id=subscription.organisation_id,
                is_active=True,
                user__is_active=True,
                roles__contains=[Role.ORGANISATION_ADMIN],
            ).values_list("user__email", flat=True)
        )
        - {""}
    )


def pause_mail_send(subscription: WebhookSubscription) -> None:
    recipients = administrator_emails(subscription)
    if not recipients:
        return
    subject = _("A webhook was paused: %(url)s") % {"url": subscription.url}
    body = _(
        "The webhook to %(url)s was paused: %(reason)s\n"
        "Nothing more is sent to it until an administrator resumes it under "
        "Organisation > Webhooks; the deliveries that failed can then be replayed."
    ) % {"url": subscription.url, "reason": subscription.paused_reason}
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True)


def deliveries_due(limit: int = 1000) -> list[int]:
    """The deliveries whose next attempt has fallen due (active subscriptions only)."""
    return list(
        WebhookDelivery.objects.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED],
            next_attempt_at__lte=timezone.now(),
            subscription__status=SubscriptionStatus.ACTIVE,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
