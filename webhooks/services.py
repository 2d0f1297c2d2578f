"""Webhook subscriptions and events: subscribing, emitting, replaying, pausing, rotating.

``webhook_emit`` is what other apps call (inside their own transaction): the deliveries are
created there and sent once it commits (Celery task ``webhooks.deliver``; see delivery.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from webhooks.events import data_check, events_check
from webhooks.models import (
    DeliveryStatus,
    SubscriptionStatus,
    WebhookDelivery,
    WebhookSubscription,
)
from webhooks.signing import secret_new, secret_open, secret_seal
from webhooks.transport import url_check

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tenants.models import Organisation, User

ROTATION_WINDOW = timedelta(hours=24)  # the previous secret keeps signing this long
DESCRIPTION_MAX_LENGTH = 200


def _enqueue(delivery_ids: list[int]) -> None:
    """Send these deliveries once the caller's transaction commits."""
    if not delivery_ids:
        return

    def send() -> None:
        from webhooks.tasks import deliver

        for delivery_id in delivery_ids:
            deliver.delay(delivery_id)

    transaction.on_commit(send)


# --- Subscriptions ------------------------------------------------------------------------------
def subscription_create(
    *,
    organisation: Organisation | None,
    url: str,
    events: list[str],
    created_by: User | None,
    description: str = "",
) -> tuple[WebhookSubscription, str]:
    """Subscribe ``url`` to ``events`` for ``organisation`` (None: a platform-owned
    subscription, shown in no workspace). Returns the subscription and its signing secret in
    clear, to be shown once. ValidationError naming the field on bad input."""
    errors: dict[str, list[str]] = {}
    try:
        url = url_check(url)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        events = events_check(list(events or []))
    except ValueError:
        errors["events"] = [_("Choose events from the list.")]
    else:
        if not events:
            errors["events"] = [_("Choose at least one event.")]
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = [_("The description is too long.")]
    if errors:
        raise ValidationError(errors)
    secret = secret_new()
    subscription = WebhookSubscription.objects.create(
        organisation=organisation,
        url=url,
        events=events,
        description=description,
        secret_encrypted=secret_seal(secret),
        created_by=created_by,
    )
    return subscription, secret


def subscription_secrets(subscription: WebhookSubscription) -> list[str]:
    """The secrets that sign now: the current one, then the previous one in its window."""
    found = [secret_open(subscription.secret_encrypted)]
    until = subscription.previous_secret_until
    if subscription.previous_secret_encrypted and until and until > timezone.now():
        found.append(secret_open(subscription.previous_secret_encrypted))
    return found


@transaction.atomic
def subscription_rotate_secret(*, subscription: WebhookSubscription) -> str:
    """A new signing secret (returned in clear, shown once); the current one keeps signing
    beside it for ``ROTATION_WINDOW`` so the receiver can switch without losing a delivery."""
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    secret = secret_new()
    subscription.previous_secret_encrypted = subscription.secret_encrypted
    subscription.previous_secret_until = timezone.now() + ROTATION_WINDOW
    subscription.secret_encrypted = secret_seal(secret)
    subscription.save(
        update_fields=["secret_encrypted", "previous_secret_encrypted", "previous_secret_until"]
    )
    return secret


def subscription_pause(*, subscription: WebhookSubscription, reason: str) -> WebhookSubscription:
    """Stop sending to the subscription (its deliveries wait) until it is resumed."""
    WebhookSubscription.objects.filter(pk=subscription.pk, status=SubscriptionStatus.ACTIVE).update(
        status=SubscriptionStatus.PAUSED,
        paused_reason=reason[:200],
        paused_at=timezone.now(),
    )
    subscription.refresh_from_db()
    return subscription


@transaction.atomic
def subscription_resume(*, subscription: WebhookSubscription) -> WebhookSubscription:
    """Send again: the count of failures starts afresh and the deliveries that waited (not
    those given up) are sent at once."""
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        status=SubscriptionStatus.ACTIVE, paused_reason="", paused_at=None, consecutive_failures=0
    )
    waiting = list(
        WebhookDelivery.objects.filter(
            subscription=subscription,
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED],
        ).values_list("pk", flat=True)
    )
    WebhookDelivery.objects.filter(pk__in=waiting).update(next_attempt_at=timezone.now())
    _enqueue(waiting)
    subscription.refresh_from_db()
    return subscription


def subscription_delete(*, subscription: WebhookSubscription) -> None:
    """Remove the subscription and its delivery log; nothing more is sent to it."""
    subscription.delete()


# --- Events and deliveries ----------------------------------------------------------------------
def webhook_emit(
    *,
    event: str,
    data: dict,
    organisation: Organisation | None = None,
    subscriptions: Iterable[WebhookSubscription] | None = None,
) -> list[WebhookDelivery]:
    """Deliver ``event`` with ``data`` to the active subscriptions of ``organisation``
    subscribed to it (None: the platform's own subscriptions to it), or to exactly the
    active ones of ``subscriptions`` when given. The deliveries are created in the caller's
    transaction and sent after it commits. ``data`` carries references and statuses only:
    ValueError for any other key (webhooks.events.DATA_KEYS)."""
    data = data_check(event, data)
    if subscriptions is not None:
        targets = [s for s in subscriptions if s.status == SubscriptionStatus.ACTIVE]
    else:
        targets = list(
            WebhookSubscription.objects.filter(
                organisation=organisation,
                status=SubscriptionStatus.ACTIVE,
                events__contains=[event],
            )
        )
    if not targets:
        return []
    now = timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                subscription=subscription,
                event=event,
                payload=data,
                created_at=now,
                next_attempt_at=now,
            )
            for subscription in targets
        ]
    )
    _enqueue([delivery.pk for delivery in deliveries])
    return deliveries


@transaction.atomic
def delivery_replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send ``delivery`` again, with the same delivery id (the receiver's idempotency key),
    as a new round of attempts. Refused while its subscription is paused."""
    delivery = (
        WebhookDelivery.objects.select_for_update()
        .select_related("subscription")
        .get(pk=delivery.pk)
    )
    if not delivery.subscription.is_active:
        raise ValidationError(_("Resume the webhook before replaying its deliveries."))
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.replays += 1
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "replays", "next_attempt_at"])
    _enqueue([delivery.pk])
    return delivery
