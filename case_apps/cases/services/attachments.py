"""Documents attached to a case, checked from their content."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from case_apps.cases.models import Attachment, CaseRecord
from case_apps.cases.services.common import acting_organisation, as_actor, case_for, record_event
from tenants.actor import Actor
from tenants.models import Organisation

ALLOWED_ATTACHMENT_TYPES = {
    # extension: (content type, leading bytes)
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


@transaction.atomic
def attachment_add(
    *,
    case: CaseRecord,
    actor: Actor,
    title: str,
    uploaded,
    organisation: Organisation | None = None,
) -> Attachment:
    """Store a document for a case in the organisation's own folder; type and size checked
    from the content, not only the name (the right to record cases)."""
    import uuid

    from django.core.files.storage import default_storage

    actor = as_actor(actor, organisation)
    organisation = acting_organisation(actor, organisation)
    case = case_for(actor, case)

    extension = uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
    errors = {}
    if extension not in ALLOWED_ATTACHMENT_TYPES:
        errors["file"] = [gettext("Upload a PDF, PNG or JPEG file.")]
    elif uploaded.size > MAX_ATTACHMENT_BYTES:
        errors["file"] = [gettext("The file is larger than 10 MB.")]
    else:
        head = uploaded.read(16)
        uploaded.seek(0)
        if not head.startswith(ALLOWED_ATTACHMENT_TYPES[extension][1]):
            errors["file"] = [gettext("The file's content does not match its type.")]
    if not title.strip():
        errors["title"] = [gettext("Give the document a title.")]
    if errors:
        raise ValidationError(errors)
    path = f"attachments/{organisation.schema_name}/{case.pk}/{uuid.uuid4().hex}.{extension}"
    stored = default_storage.save(path, uploaded)
    attachment = Attachment.objects.create(
        case=case,
        file=stored,
        title=title.strip(),
        content_type=ALLOWED_ATTACHMENT_TYPES[extension][0],
        size_bytes=uploaded.size,
        uploaded_by=actor.user,
    )
    record_event(case, actor, "attachment_added", reason=title.strip())
    return attachment
