"""Seal now what the beat job would seal next: every schema's queued audit rows."""

from django.core.management.base import BaseCommand

from audit.sealer import seal_all


class Command(BaseCommand):
    help = "Link the audit rows awaiting the sealer into their schemas' hash chains now."

    def handle(self, *args, **options):
        sealed = seal_all()
        for schema, count in sealed.items():
            self.stdout.write(f"{schema}: {count} sealed")
        self.stdout.write(f"{sum(sealed.values())} rows sealed in {len(sealed)} schemas")
