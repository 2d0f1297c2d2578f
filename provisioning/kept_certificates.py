"""A certificate uploaded with a sign-up that failed on another field is kept (in the media
storage, named in the session) so the applicant does not choose the file again."""

from __future__ import annotations

import secrets

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

SESSION_KEY = "cpims_signup_certificate"
FOLDER = "kept-certificates"


def certificate_keep(session, file: UploadedFile) -> str:
    """Keep an acceptable uploaded certificate for the next try; returns its name."""
    certificate_discard(session)
    file.seek(0)
    path = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}", file)
    file.seek(0)
    session[SESSION_KEY] = {"path": path, "name": file.name, "type": file.content_type or ""}
    return file.name


def certificate_kept_name(session) -> str:
    """The name of the kept certificate, or "" when none is kept."""
    kept = session.get(SESSION_KEY)
    if not kept or not default_storage.exists(kept["path"]):
        return ""
    return kept["name"]


def certificate_kept(session) -> UploadedFile | None:
    """The kept certificate as an upload, or None."""
    if not certificate_kept_name(session):
        return None
    kept = session[SESSION_KEY]
    with default_storage.open(kept["path"], "rb") as stored:
        content = stored.read()
    return SimpleUploadedFile(kept["name"], content, content_type=kept["type"])


def certificate_discard(session) -> None:
    """Forget (and delete) the kept certificate."""
    kept = session.pop(SESSION_KEY, None)
    if kept and default_storage.exists(kept["path"]):
        default_storage.delete(kept["path"])
