"""Reads of the audit and access logs, for the viewers (the current schema's logs)."""

from __future__ import annotations

import datetime

from auditlog.models import LogEntry
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.models import PersonalAccessToken, PlatformAccessEntry
from audit.workspace.models import AccessEntry
from tenants.schema import current_schema_name


def _dates(queryset: QuerySet, field: str, since, until) -> QuerySet:
    if since:
        queryset = queryset.filter(**{f"{field}__date__gte": since})
    if until:
        queryset = queryset.filter(**{f"{field}__date__lte": until})
    return queryset


def access_entries(
    *,
    search: str = "",
    record_kind: str = "",
    under: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet:
    """This schema's access log, newest first, searched by who, record or purpose;
    ``under`` = "agreement" keeps the reads made through sharing agreements (the sharing
    access log), "membership" the members' own reads."""
    model = PlatformAccessEntry if current_schema_name() == "public" else AccessEntry
    queryset = model.objects.all()
    if search:
        queryset = queryset.filter(
            Q(actor_email__icontains=search)
            | Q(record_id__iexact=search)
            | Q(purpose__icontains=search)
            | Q(organisation_slug__iexact=search)
        )
    if record_kind:
        queryset = queryset.filter(record_kind=record_kind)
    if under == "agreement":
        queryset = queryset.filter(agreement_id__isnull=False)
    elif under == "membership":
        queryset = queryset.filter(agreement_id__isnull=True, membership_id__isnull=False)
    return _dates(queryset, "occurred_at", since, until).order_by("-occurred_at", "-id")


def access_record_kinds() -> list[str]:
    model = PlatformAccessEntry if current_schema_name() == "public" else AccessEntry
    return list(model.objects.order_by().values_list("record_kind", flat=True).distinct())


def change_entries(
    *,
    search: str = "",
    action: str = "",
    model_name: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet:
    """This schema's write log (auditlog), newest first."""
    queryset = LogEntry.objects.select_related("content_type")
    if search:
        queryset = queryset.filter(
            Q(actor_email__icontains=search)
            | Q(object_repr__icontains=search)
            | Q(object_pk__iexact=search)
        )
    if action != "" and action is not None:
        queryset = queryset.filter(action=int(action))
    if model_name:
        queryset = queryset.filter(content_type__model=model_name)
    return _dates(queryset, "timestamp", since, until).order_by("-timestamp", "-id")


def change_model_names() -> list[str]:
    return sorted(
        LogEntry.objects.order_by().values_list("content_type__model", flat=True).distinct()
    )


TOKEN_STATES = ("usable", "expired", "revoked")


def tokens_of(
    *, user, organisation, search: str = "", state: str = ""
) -> QuerySet[PersonalAccessToken]:
    """The user's tokens in the organisation, narrowed by name and state (usable, expired
    or revoked)."""
    tokens = PersonalAccessToken.objects.filter(user=user, organisation=organisation)
    if search:
        tokens = tokens.filter(name__icontains=search.strip()[:100])
    now = timezone.now()
    if state == "usable":
        tokens = tokens.filter(revoked_at__isnull=True, expires_at__gt=now)
    elif state == "expired":
        tokens = tokens.filter(revoked_at__isnull=True, expires_at__lte=now)
    elif state == "revoked":
        tokens = tokens.filter(revoked_at__isnull=False)
    return tokens
