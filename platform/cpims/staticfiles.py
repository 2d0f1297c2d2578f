"""Static files under hashed names: collect them when a source file is newer than the last run."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command

MANIFEST = "staticfiles.json"


def newest_source_mtime() -> float:
    """The newest modification time of any file the static-file finders would collect."""
    newest = 0.0
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            newest = max(newest, Path(storage.path(path)).stat().st_mtime)
    return newest


def static_files_collect_if_stale() -> bool:
    """Run collectstatic unless the manifest is newer than every source file; say if it ran."""
    manifest = Path(settings.STATIC_ROOT) / MANIFEST
    if manifest.exists() and manifest.stat().st_mtime >= newest_source_mtime():
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    return True
