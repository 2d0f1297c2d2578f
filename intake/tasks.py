"""Celery tasks of the intake queue: thin wrappers over the services."""

from celery import shared_task

from intake.services_clients import intake_nonces_prune
from intake.services_triage import intake_supervisors_tell


@shared_task(name="intake.tell_supervisors")
def tell_supervisors_task() -> int:
    """Beat job: mail supervisors the reports waiting more than 24 hours (once each)."""
    return intake_supervisors_tell()


@shared_task(name="intake.prune_nonces")
def prune_nonces_task() -> int:
    """Beat job: forget nonces past the replay window."""
    return intake_nonces_prune()
