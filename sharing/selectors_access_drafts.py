"""Reads of drafted access requests (sharing/services_access_drafts.py): a drafter's own
requests with their status, and the drafts waiting for an organisation's administrators."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from sharing.models import AgreementEvent, AgreementStatus, DataSharingAgreement
from tenants.actor import Actor, Forbidden
from tenants.models import Organisation
from tenants.policy import Permission


def access_requests_drafted_by(*, actor: Actor) -> QuerySet[DataSharingAgreement]:
    """The requests this member drafted in their organisation, newest first, each with its
    history (``Forbidden`` without the right to draft access requests)."""
    if actor.organisation is None or not actor.may(Permission.DRAFT_ACCESS_REQUESTS):
        raise Forbidden(Permission.DRAFT_ACCESS_REQUESTS)
    return (
        DataSharingAgreement.objects.filter(requester=actor.organisation, created_by=actor.user)
        .select_related("provider")
        .prefetch_related(
            Prefetch("events", queryset=AgreementEvent.objects.order_by("occurred_at", "id"))
        )
        .order_by("-created_at", "-id")
    )


def access_drafts_waiting(*, organisation: Organisation) -> QuerySet[DataSharingAgreement]:
    """Drafts of ``organisation``'s requests waiting for an administrator to submit or
    discard them, oldest first."""
    return (
        DataSharingAgreement.objects.filter(requester=organisation, status=AgreementStatus.DRAFT)
        .select_related("provider", "created_by")
        .order_by("created_at", "id")
    )
