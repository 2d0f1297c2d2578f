"""Restate the facts of one organisation's records with the keyed pseudonyms of now.

Run for every organisation after upgrading to keyed pseudonyms or changing the pseudonym key:
``manage.py all_tenants_command restate_pseudonyms`` (one organisation:
``manage.py tenant_command restate_pseudonyms --schema=<schema>``). The next drain replaces
the facts; the figures stay as they were. Running it again writes nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import connection

from case_apps.outbox.services import outbox_pseudonyms_restate


class Command(BaseCommand):
    help = "Restate this organisation's facts with the current keyed pseudonyms."

    def handle(self, *args, **options) -> None:
        if connection.schema_name == "public":
            self.stdout.write("The platform schema has no outbox: run it per organisation.")
            return
        restated = outbox_pseudonyms_restate()
        self.stdout.write(f"{connection.schema_name}: {restated} facts restated")
