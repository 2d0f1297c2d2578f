"""Celery tasks of case management: thin wrappers over the services."""

from __future__ import annotations

from celery import shared_task

from case_apps.cases.services.transfer_closure import (
    organisation_referral_follow,
    transferred_case_close,
)


@shared_task(
    name="cases.close_transferred_case",
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=8,
)
def close_transferred_case(referral_id: int) -> str:
    """Close the sender's case of an accepted transfer as transferred. Sent with the sender's
    schema in its headers (case_apps.cases.transfers.schedule_transfer_closure), so it runs
    there; retried on failure; a no-op once the transfer is completed."""
    return transferred_case_close(referral_id=referral_id)


@shared_task(
    name="cases.follow_organisation_referral",
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=8,
)
def follow_organisation_referral(referral_id: int) -> str:
    """Bring the sender's case record sheet up to date with a referral to another
    organisation (accepted, declined, withdrawn, completed). Sent with the sender's schema in
    its headers (case_apps.cases.transfers.schedule_referral_follow), so it runs there."""
    return organisation_referral_follow(referral_id=referral_id)
