from django.core.management.base import BaseCommand

from case_apps.lists.services import lists_load_national


class Command(BaseCommand):
    help = "Load the national CPIMS reference lists (adds missing items; keeps edits)."

    def handle(self, *args, **options):
        added = lists_load_national()
        self.stdout.write(f"{added} list items added")
