"""Celery tasks for onboarding: thin wrappers around the services."""

from celery import shared_task

from provisioning.services import ProvisioningError, organisation_provision
from tenants.models import Organisation


@shared_task(name="provisioning.provision_organisation")
def provision_organisation(organisation_id: int) -> str:
    """Provision one organisation; the outcome (active or failed with its error) is kept on
    the organisation, where the applicant's page and the console read it."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return "missing"
    try:
        return organisation_provision(organisation=organisation).status
    except ProvisioningError as exc:
        return f"failed: {exc}"
