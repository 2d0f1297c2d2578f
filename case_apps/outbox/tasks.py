"""Celery tasks of the outbox: thin wrappers over its services."""

from __future__ import annotations

from celery import shared_task

from case_apps.outbox.services import outbox_persons_restate


@shared_task(name="outbox.restate_persons", autoretry_for=(Exception,), max_retries=8)
def restate_persons_task(person_ids: list[int]) -> int:
    """Runs in one organisation's schema (sent with it in its headers)."""
    return outbox_persons_restate(person_ids=person_ids)
