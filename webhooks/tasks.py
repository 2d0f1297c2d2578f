"""Celery tasks of the outbound webhooks: thin wrappers over webhooks.delivery."""

from __future__ import annotations

from celery import shared_task

from webhooks.delivery import deliveries_due, delivery_attempt


@shared_task(name="webhooks.deliver", ignore_result=True)
def deliver(delivery_id: int) -> str | None:
    """Send one delivery if it is due (a retry falls due later: ``sweep`` sends it then)."""
    return delivery_attempt(delivery_id)


@shared_task(name="webhooks.sweep", ignore_result=True)
def sweep() -> int:
    """Beat job: send the deliveries whose next attempt has fallen due (retries, and any
    whose first task was lost)."""
    due = deliveries_due()
    for delivery_id in due:
        deliver.delay(delivery_id)
    return len(due)
