from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shared_registry.importers import IMPORTERS


class Command(BaseCommand):
    help = (
        "Import a KMHFL facilities, NEMIS schools or directory-of-organisations CSV. A file "
        "with errors changes nothing unless --import-valid-rows is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("path", type=Path)
        parser.add_argument("--import-valid-rows", action="store_true")

    def handle(self, *args, kind, path, import_valid_rows, **options):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        report = IMPORTERS[kind](text=text, import_valid_rows=import_valid_rows)
        for error in report.errors:
            self.stderr.write(f"{path}:{error.line}: {error.reason}")
        self.stdout.write(f"{kind}: {report.summary()}")
        if report.errors and not report.applied:
            raise CommandError("the file has errors; nothing was imported")
