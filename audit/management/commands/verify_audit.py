"""Check every audit chain in every schema; name the first broken link of each."""

from django.core.management.base import BaseCommand

from audit.chain import audit_verify_all


class Command(BaseCommand):
    help = "Verify the hash chains of the audit and access logs in every schema."

    def handle(self, *args, **options):
        verdicts = audit_verify_all()
        broken = 0
        for schema, link in verdicts.items():
            if link is None:
                self.stdout.write(f"{schema}: intact")
            else:
                broken += 1
                self.stdout.write(self.style.ERROR(f"BROKEN {link}"))
        self.stdout.write(f"{len(verdicts)} schemas checked, {broken} broken")
        if broken:
            raise SystemExit(1)
