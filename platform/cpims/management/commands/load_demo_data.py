from django.core.management.base import BaseCommand

from cpims.demo import demo_password, load_demo_data


class Command(BaseCommand):
    help = "Create the demo organisations and accounts (idempotent)."

    def handle(self, *args, **options):
        accounts = load_demo_data()
        self.stdout.write(f"{len(accounts)} demo accounts; password: {demo_password()}")
