"""``manage.py dispose_expired [--dry-run] [--organisation SLUG]``: run retention now."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from audit.retention import organisations_for_retention
from audit.tasks import dispose_expired_organisation_task


class Command(BaseCommand):
    help = "Dispose of the records past their retention period (or list them: --dry-run)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list, dispose of nothing")
        parser.add_argument("--organisation", help="one organisation's workspace (slug)")

    def handle(self, *args, dry_run: bool = False, organisation: str | None = None, **options):
        organisations = organisations_for_retention()
        if organisation:
            organisations = [o for o in organisations if o.slug == organisation]
            if not organisations:
                raise CommandError(f"no active or suspended organisation '{organisation}'")
        verb = "would dispose of" if dry_run else "disposed of"
        for org in organisations:
            # run here, now, inside the organisation's schema (the task is routed by header)
            total = dispose_expired_organisation_task.apply(
                args=[org.pk, dry_run], headers={"_schema_name": org.schema_name}
            ).get()
            self.stdout.write(f"{org.slug}: {verb} {total} records")
