"""Celery tasks of national statistics: thin wrappers over the drain."""

from celery import shared_task

from national_statistics.drain import drain_organisation, organisations_to_drain
from tenants.models import Organisation


@shared_task(name="national_statistics.drain_organisation")
def drain_organisation_task(organisation_id: int) -> int:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    return drain_organisation(organisation) if organisation else 0


@shared_task(name="national_statistics.drain_all")
def drain_all_task() -> int:
    """Beat job: fan out one drain task per organisation (STACK-NOTES: never loop in one task)."""
    organisations = organisations_to_drain()
    for organisation in organisations:
        drain_organisation_task.delay(organisation.pk)
    return len(organisations)


@shared_task(name="national_statistics.build_export")
def build_export_task(job_id: int) -> str:
    from national_statistics.models import ExportJob
    from national_statistics.services import export_job_run

    job = ExportJob.objects.filter(pk=job_id).first()
    return export_job_run(job=job).status if job else "missing"
