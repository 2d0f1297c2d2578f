"""Celery tasks of governed sharing: thin wrappers over the services."""

from celery import shared_task

from sharing.services import agreements_refresh


@shared_task(name="sharing.refresh_agreements")
def refresh_agreements_task() -> dict[str, int]:
    """Beat job: put approved agreements in force on their start date, expire past ones."""
    return agreements_refresh()
