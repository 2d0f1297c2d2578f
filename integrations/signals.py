"""What the integrations follow in the registry: a NEMIS UPI recorded on a person is checked
against NEMIS after the commit (the registry knows nothing of NEMIS)."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from shared_registry.identifiers import IdentifierType
from shared_registry.models import PersonIdentifier


@receiver(post_save, sender=PersonIdentifier, dispatch_uid="integrations.nemis_upi")
def _upi_recorded(sender, instance: PersonIdentifier, created: bool, **kwargs) -> None:
    if created and instance.identifier_type == IdentifierType.NEMIS_UPI:
        from integrations.services_reference import nemis_upi_entered

        nemis_upi_entered(instance)
