"""Static files under hashed names: collect them when a source file is newer than the last run."""

from __future__ import annotations

import fcntl
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
    """Run collectstatic unless the manifest is newer than every source file; say if it ran.
    Either way this process then names files from the manifest on disk (a storage read
    before, or another process's collect, must not leave it with an older list). Processes
    starting together (parallel test workers, several app servers) take turns: the first
    collects, the others then find the manifest fresh."""
    root = Path(settings.STATIC_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    manifest = root / MANIFEST
    with open(root.parent / "static.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ran = not (manifest.exists() and manifest.stat().st_mtime >= newest_source_mtime())
        if ran:
            call_command("collectstatic", interactive=False, verbosity=0)
        _manifest_reload()
    return ran


def _manifest_reload() -> None:
    from django.contrib.staticfiles.storage import staticfiles_storage

    if hasattr(staticfiles_storage, "load_manifest"):  # hashed names (not under DEBUG)
        staticfiles_storage.hashed_files, staticfiles_storage.manifest_hash = (
            staticfiles_storage.load_manifest()
        )
