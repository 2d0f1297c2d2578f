"""Pages name static files by their hashed names from the manifest: after the check that
collects them when stale, this process names every file the manifest on disk lists, even
when its storage had read an older manifest first (a new app's files were missing)."""

from __future__ import annotations

from django.contrib.staticfiles.storage import staticfiles_storage

from cpims.staticfiles import static_files_collect_if_stale


def test_a_storage_that_read_an_older_manifest_names_the_new_files_after_the_check():
    static_files_collect_if_stale()
    name = "field/vendor/idb/umd.js"
    hashed = staticfiles_storage.url(name)
    assert hashed != staticfiles_storage.base_url + name  # a hashed name
    # the storage as a process that started before the collect would hold it
    staticfiles_storage.hashed_files = {
        k: v for k, v in staticfiles_storage.hashed_files.items() if not k.startswith("field/")
    }
    assert static_files_collect_if_stale() is False  # nothing stale: no collect
    assert staticfiles_storage.url(name) == hashed
