"""Recount how many registered persons carry each name key and pair of keys."""

from django.core.management.base import BaseCommand

from shared_registry.frequencies import name_frequencies_recount


class Command(BaseCommand):
    help = "Rebuild the name frequencies matching uses to weigh common names."

    def handle(self, *args, **options) -> None:
        counted = name_frequencies_recount()
        self.stdout.write(f"{counted} name keys counted")
