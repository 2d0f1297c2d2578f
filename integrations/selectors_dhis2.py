"""Reads of the DHIS2 push console."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from integrations.models import Dhis2Push


def dhis2_pushes(*, status: str = "", q: str = "") -> QuerySet[Dhis2Push]:
    """The pushes, newest first, by status and by report or DHIS2 conflict text."""
    pushes = Dhis2Push.objects.select_related("requested_by")
    if status:
        pushes = pushes.filter(status=status)
    q = (q or "").strip()[:100]
    if q:
        pushes = pushes.filter(
            Q(report__icontains=q) | Q(error__icontains=q) | Q(requested_by__email__icontains=q)
        )
    return pushes
