"""Celery tasks of the integrations: thin wrappers over the services."""

from celery import shared_task

from integrations.services_dhis2 import dhis2_push_run, dhis2_pushes_due


@shared_task(name="integrations.dhis2_push")
def dhis2_push_task(push_id: int) -> str:
    return dhis2_push_run(push_id).status


@shared_task(name="integrations.dhis2_pushes_due")
def dhis2_pushes_due_task() -> int:
    """Beat job: push again what waited for DHIS2 to come back."""
    return dhis2_pushes_due()
