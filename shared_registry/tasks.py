"""Registry upkeep: drop links no record backs (links made before links came only from
records, e.g. by the removed ``POST .../link`` endpoint)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="shared_registry.links_verify_organisation")
def links_verify_organisation_task(organisation_id: int) -> int:
    """Remove one organisation's links to persons it holds no record on (the sender routes
    the task into that organisation's schema with the ``_schema_name`` header)."""
    from shared_registry.links import person_links_release
    from shared_registry.models import PersonLink
    from tenants.models import Organisation

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return 0
    linked = PersonLink.objects.filter(organisation=organisation).values_list(
        "person_id", flat=True
    )
    return person_links_release(person_ids=list(linked), organisation=organisation)
