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


@shared_task(name="integrations.reference_sync_all")
def reference_sync_all_task() -> dict[str, str]:
    """Beat job: facilities and schools brought up to date, UPIs tried again."""
    from integrations.services_reference import reference_sync_all

    return reference_sync_all()


@shared_task(name="integrations.nemis_upi_verify")
def nemis_upi_verify_task(identifier_id: int) -> str:
    from integrations.services_reference import nemis_upi_verify

    return nemis_upi_verify(identifier_id)


@shared_task(name="integrations.reference_sync")
def reference_sync_task(kind: str, run_id: int | None = None) -> str:
    from integrations.services_reference import reference_sync

    run = reference_sync(kind, run_id=run_id)
    return "off" if run is None else ("ok" if run.succeeded else run.error)
