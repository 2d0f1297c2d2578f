from django.core.management.base import BaseCommand

from shared_registry.geography import geography_load


class Command(BaseCommand):
    help = "Load or refresh Kenya's counties, sub-counties and wards (idempotent)."

    def handle(self, *args, **options):
        result = geography_load()
        self.stdout.write(
            f"geography: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )
