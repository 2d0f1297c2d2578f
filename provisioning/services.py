"""Giving an organisation its workspace."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from tenants.models import Domain, Organisation, OrganisationStatus


class ProvisioningError(Exception):
    pass


@transaction.atomic
def organisation_provision(*, organisation: Organisation) -> Organisation:
    """Create the organisation's schema, its primary domain, and make it active.

    Atomic: PostgreSQL DDL is transactional, so a failure leaves no schema.
    Idempotent: an already active organisation is returned unchanged.
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.status == OrganisationStatus.ACTIVE:
        return organisation
    if organisation.status != OrganisationStatus.PENDING:
        raise ProvisioningError(
            f"{organisation.name} is {organisation.get_status_display().lower()}, not pending"
        )
    organisation.create_schema(check_if_exists=True, verbosity=0)
    Domain.objects.get_or_create(
        domain=f"{organisation.slug}.{settings.BASE_DOMAIN}",
        defaults={"tenant": organisation, "is_primary": True},
    )
    organisation.status = OrganisationStatus.ACTIVE
    organisation.save(update_fields=["status", "updated_at"])
    return organisation
