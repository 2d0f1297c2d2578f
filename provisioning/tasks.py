"""Celery tasks for onboarding: thin wrappers around the services."""

from celery import shared_task
from django.db import transaction

from provisioning.pool import pool_refill, pool_size
from provisioning.services import ProvisioningError, organisation_provision
from tenants.models import Organisation


@shared_task(name="provisioning.provision_organisation")
def provision_organisation(organisation_id: int) -> str:
    """Provision one organisation; the outcome (active or failed with its error) is kept on
    the organisation, where the applicant's page and the console read it. The schema pool is
    topped up afterwards, as a task of its own."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return "missing"
    try:
        return organisation_provision(organisation=organisation).status
    except ProvisioningError as exc:
        return f"failed: {exc}"
    finally:
        if pool_size():
            transaction.on_commit(refill_pool.delay)


@shared_task(name="provisioning.refill_pool")
def refill_pool() -> str:
    """Keep the live setting's number of workspace schemas ready (provisioning/pool.py)."""
    refill = pool_refill()
    return f"built {refill.built}, dropped {refill.dropped}"
