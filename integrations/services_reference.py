"""Reference data kept current (issue 20): facilities from the Kenya Master Health Facility
List and schools from NEMIS, synchronised on a schedule (changes only, with a report of what
changed), beside the CSV importers; and a NEMIS UPI entered on a child checked against NEMIS
when it is reachable, marked unverified otherwise. A directory that is off or away never
blocks anyone's work."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.connections import connection_checked
from integrations.models import ReferenceKind, ReferenceSource, ReferenceSyncRun
from integrations.reference_clients import KmhflClient, NemisClient, ReferenceError
from integrations.secrets import secret_decrypt, secret_encrypt
from shared_registry.identifiers import IdentifierType
from shared_registry.importers import facilities_apply_records, schools_apply_records
from shared_registry.models import IdentifierVerification, PersonIdentifier
from tenants.actor import Actor
from tenants.policy import Permission

OVERLAP = timedelta(minutes=5)  # the next sync asks from a little before the last one
CHANGES_KEPT, REFUSALS_KEPT = 500, 200


def reference_source(kind: str) -> ReferenceSource | None:
    return ReferenceSource.objects.filter(kind=kind).first()


@transaction.atomic
def reference_source_save(
    *,
    actor: Actor,
    kind: str,
    base_url: str,
    username: str = "",
    secret: str = "",
    client_id: str = "",
    client_secret: str = "",
    enabled: bool = False,
    timeout_seconds: int = 30,
) -> ReferenceSource:
    """Configure a directory (national administrators); empty secrets keep the stored ones,
    which are encrypted at rest and never shown again."""
    actor.require(Permission.MANAGE_INTEGRATIONS)
    if kind not in ReferenceKind.values:
        raise ValidationError({"kind": [_("Choose KMHFL or NEMIS.")]})
    source = reference_source(kind) or ReferenceSource(kind=kind)
    source.base_url = connection_checked(
        base_url=base_url,
        timeout_seconds=timeout_seconds,
        secrets={
            "secret": (secret, bool(source.secret_encrypted)),
            "client_secret": (client_secret, True),  # KMHFL only: never required
        },
    )
    source.username = (username or "").strip()[:150]
    source.client_id = (client_id or "").strip()[:150]
    if secret:
        source.secret_encrypted = secret_encrypt(secret)
    if client_secret:
        source.client_secret_encrypted = secret_encrypt(client_secret)
    source.enabled = bool(enabled)
    source.timeout_seconds = int(timeout_seconds)
    source.updated_by = actor.user
    source.save()
    return source


def _kmhfl(source: ReferenceSource) -> KmhflClient:
    return KmhflClient(
        base_url=source.base_url,
        timeout=source.timeout_seconds,
        username=source.username,
        password=secret_decrypt(source.secret_encrypted),
        client_id=source.client_id,
        client_secret=secret_decrypt(source.client_secret_encrypted),
    )


def _nemis(source: ReferenceSource) -> NemisClient:
    return NemisClient(
        base_url=source.base_url,
        timeout=source.timeout_seconds,
        api_key=secret_decrypt(source.secret_encrypted),
    )


def reference_sync_request(*, actor: Actor, kind: str) -> ReferenceSyncRun:
    """ "Synchronise now": a run queued for the worker (refused while the directory is off)."""
    from integrations.tasks import reference_sync_task

    actor.require(Permission.MANAGE_INTEGRATIONS)
    source = reference_source(kind)
    if source is None or not source.enabled:
        raise ValidationError(_("This directory is off: configure and enable it first."))
    run = ReferenceSyncRun.objects.create(
        kind=kind, changes_after=source.synced_until, requested_by=actor.user
    )
    transaction.on_commit(lambda: reference_sync_task.delay(kind, run.pk))
    return run


def reference_sync(
    kind: str, *, run_id: int | None = None, now: datetime | None = None
) -> ReferenceSyncRun | None:
    """Fetch what changed since the last sync and apply it (the good records; the bad ones
    reported); None when the directory is off. A failed fetch changes nothing."""
    source = reference_source(kind)
    if source is None or not source.enabled:
        return None
    started = now or timezone.now()
    run = ReferenceSyncRun.objects.filter(pk=run_id, finished_at__isnull=True).first()
    if run is None:
        run = ReferenceSyncRun.objects.create(kind=kind, changes_after=source.synced_until)
    run.started_at, run.changes_after = started, source.synced_until
    try:
        if kind == ReferenceKind.KMHFL:
            records = list(_kmhfl(source).facilities(source.synced_until))
            apply = facilities_apply_records
        else:
            records = list(_nemis(source).schools(source.synced_until))
            apply = schools_apply_records
        report = apply(enumerate(records, start=1))
    except ReferenceError as error:
        run.error = str(error)[:500]
        run.finished_at = timezone.now()
        run.save()
        return run
    run.records = report.rows
    run.created, run.updated, run.unchanged = report.created, report.updated, report.unchanged
    run.changes = [
        {"code": code, "change": change, "fields": fields}
        for code, change, fields in report.changes[:CHANGES_KEPT]
    ]
    run.refused = [{"line": e.line, "reason": e.reason} for e in report.errors[:REFUSALS_KEPT]]
    run.succeeded = True
    run.finished_at = timezone.now()
    run.save()
    source.synced_until = started - OVERLAP
    source.save(update_fields=["synced_until"])
    return run


def reference_sync_all() -> dict[str, str]:
    """Beat: every enabled directory synchronised, then the UPIs still unverified tried."""
    done = {}
    for kind in ReferenceKind.values:
        run = reference_sync(kind)
        done[kind] = "off" if run is None else ("ok" if run.succeeded else run.error)
    done["upis"] = str(nemis_upis_unverified())
    return done


# --- NEMIS UPIs ---------------------------------------------------------------------------------
def nemis_upi_verify(identifier_id: int, now: datetime | None = None) -> str:
    """Ask NEMIS whether it knows the UPI: verified or not found; unverified while NEMIS is
    off or away (tried again by the daily sync)."""
    identifier = PersonIdentifier.objects.filter(
        pk=identifier_id, identifier_type=IdentifierType.NEMIS_UPI
    ).first()
    if identifier is None:
        return "gone"
    source = reference_source(ReferenceKind.NEMIS)
    if source is None or not source.enabled:
        return identifier.verification
    try:
        known = _nemis(source).learner_known(identifier.value)
    except ReferenceError:
        return identifier.verification
    status = IdentifierVerification.VERIFIED if known else IdentifierVerification.NOT_FOUND
    PersonIdentifier.objects.filter(pk=identifier.pk).update(
        verification=status, verified_at=now or timezone.now()
    )
    return status


def nemis_upis_unverified(limit: int = 1000) -> int:
    """Try the UPIs still unverified again; how many NEMIS answered for."""
    ids = PersonIdentifier.objects.filter(
        identifier_type=IdentifierType.NEMIS_UPI, verification=IdentifierVerification.UNVERIFIED
    ).values_list("pk", flat=True)[:limit]
    return sum(nemis_upi_verify(pk) != IdentifierVerification.UNVERIFIED for pk in ids)


def nemis_upi_entered(identifier: PersonIdentifier) -> None:
    """A UPI was just recorded: unverified until NEMIS answers, asked after the commit."""
    from integrations.tasks import nemis_upi_verify_task

    PersonIdentifier.objects.filter(pk=identifier.pk).update(
        verification=IdentifierVerification.UNVERIFIED
    )
    transaction.on_commit(lambda: nemis_upi_verify_task.delay(identifier.pk))
