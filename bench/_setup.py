"""Shared set-up for the benchmarks: a database (embedded unless DATABASE_URL) and Django."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def setup_django(database: str = "cpims_bench") -> None:
    """Start the embedded PostgreSQL when needed, configure Django, migrate public."""
    for path in (REPO / "platform", REPO):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    from cpims import launcher

    launcher.database_url("pgbench", database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpims.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    from cpims.staticfiles import static_files_collect_if_stale

    static_files_collect_if_stale()  # pages name static files by hashed names (docs/ui.md)
