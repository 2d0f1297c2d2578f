"""``manage.py registry_links_verify [--organisation SLUG]``: keep only the registry links a
record backs (run once after upgrading; links are otherwise kept by the services)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from shared_registry.tasks import links_verify_organisation_task
from tenants.models import Organisation, OrganisationStatus


class Command(BaseCommand):
    help = "Remove registry links of organisations that hold no record on the person."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--organisation", help="one organisation's workspace (slug)")

    def handle(self, *args, organisation: str | None = None, **options) -> None:
        organisations = Organisation.objects.filter(
            status__in=[OrganisationStatus.ACTIVE, OrganisationStatus.SUSPENDED]
        ).exclude(schema_name="public")
        if organisation:
            organisations = organisations.filter(slug=organisation)
            if not organisations:
                raise CommandError(f"no active or suspended organisation '{organisation}'")
        for org in organisations.order_by("slug"):
            # run here, now, inside the organisation's schema (the task is routed by header)
            removed = links_verify_organisation_task.apply(
                args=[org.pk], headers={"_schema_name": org.schema_name}
            ).get()
            self.stdout.write(f"{org.slug}: removed {removed} links no record backs")
