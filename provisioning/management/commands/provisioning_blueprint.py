"""Record the workspace build script for the current migrations and refill the schema pool
(run after deploying, after ``migrate_schemas``)."""

from django.core.management.base import BaseCommand

from provisioning.blueprint import blueprint_key, blueprint_refresh
from provisioning.pool import pool_refill


class Command(BaseCommand):
    help = (
        "Record the SQL script new workspaces are built from, if the migrations changed, "
        "and build the pool of ready workspace schemas under it."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-pool", action="store_true", help="leave the schema pool alone")

    def handle(self, *args, **options) -> None:
        made = blueprint_refresh()
        state = "recorded" if made else "already current"
        self.stdout.write(f"workspace blueprint {blueprint_key()[:12]}: {state}")
        if not options["no_pool"]:
            refill = pool_refill()
            self.stdout.write(
                f"schema pool: {refill.built} built, {refill.dropped} stale or extra dropped"
            )
