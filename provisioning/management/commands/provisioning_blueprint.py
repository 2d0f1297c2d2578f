"""Record the workspace build script for the current migrations (run after deploying)."""

from django.core.management.base import BaseCommand

from provisioning.blueprint import blueprint_key, blueprint_refresh


class Command(BaseCommand):
    help = "Record the SQL script new workspaces are built from, if the migrations changed."

    def handle(self, *args, **options) -> None:
        made = blueprint_refresh()
        state = "recorded" if made else "already current"
        self.stdout.write(f"workspace blueprint {blueprint_key()[:12]}: {state}")
