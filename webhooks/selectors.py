"""Reading webhook subscriptions and their delivery logs, always within one organisation
(a platform-owned subscription belongs to no workspace and is never found here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookSubscription

if TYPE_CHECKING:
    from tenants.models import Organisation

SEARCH_MAX_LENGTH = 100


def subscriptions_of(*, organisation: Organisation, search: str = "") -> QuerySet:
    """The organisation's subscriptions, newest first; ``search`` in the URL, description
    or an event's name."""
    rows = WebhookSubscription.objects.filter(organisation=organisation)
    search = (search or "").strip()[:SEARCH_MAX_LENGTH]
    if search:
        rows = rows.filter(
            Q(url__icontains=search)
            | Q(description__icontains=search)
            | Q(events__icontains=search)
        )
    return rows.order_by("-created_at", "-id")


def subscription_of(
    *, organisation: Organisation, subscription_id: int
) -> WebhookSubscription | None:
    """One of the organisation's subscriptions (None: none of its own by that id)."""
    return WebhookSubscription.objects.filter(organisation=organisation, pk=subscription_id).first()


def deliveries_of(
    *, subscription: WebhookSubscription, status: str = "", search: str = ""
) -> QuerySet:
    """A subscription's delivery log, newest first; by ``status``, and ``search`` in the
    event's name or the delivery id."""
    rows = WebhookDelivery.objects.filter(subscription=subscription)
    if status in DeliveryStatus.values:
        rows = rows.filter(status=status)
    search = (search or "").strip()[:SEARCH_MAX_LENGTH]
    if search:
        rows = rows.filter(Q(event__icontains=search) | Q(uuid__icontains=search))
    return rows.order_by("-created_at", "-id")


def delivery_of(*, organisation: Organisation, delivery_id: int) -> WebhookDelivery | None:
    """One delivery of one of the organisation's subscriptions (None: not its own)."""
    return (
        WebhookDelivery.objects.select_related("subscription")
        .filter(subscription__organisation=organisation, pk=delivery_id)
        .first()
    )


def attempts_of(delivery: WebhookDelivery) -> QuerySet:
    """A delivery's attempts, newest first."""
    return WebhookAttempt.objects.filter(delivery=delivery).order_by("-at", "-id")


def delivery_counts(subscription: WebhookSubscription) -> dict[str, int]:
    """How many of the subscription's deliveries are in each status."""
    counts = dict.fromkeys(DeliveryStatus.values, 0)
    for row in (
        WebhookDelivery.objects.filter(subscription=subscription)
        .values("status")
        .annotate(n=Count("id"))
    ):
        counts[row["status"]] = row["n"]
    return counts
