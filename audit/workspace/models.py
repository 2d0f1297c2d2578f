"""The workspace access log (one table per organisation schema)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.models_base import AccessEntryBase


class AccessEntry(AccessEntryBase):
    """A read inside an organisation's workspace (a child's record, a case, an export)."""

    class Meta(AccessEntryBase.Meta):
        verbose_name = _("access entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["record_kind"], name="audit_access_kind")]
