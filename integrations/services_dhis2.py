"""Pushing national figures to DHIS2 (issue 20): the connection DCS headquarters configures,
and each push, built as a DHIS2 export (the same suppressed, mapped values a user downloads)
and sent as an all-or-nothing import. A push that cannot reach DHIS2 waits and is tried
again; one DHIS2 refuses is kept with its conflicts; nothing is ever half-applied silently."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.connections import connection_checked
from integrations.dhis2_client import Dhis2Client, Dhis2Error, ImportSummary
from integrations.models import Dhis2Connection, Dhis2Push, PushStatus
from integrations.secrets import secret_decrypt, secret_encrypt
from national_statistics.models import ExportStatus
from national_statistics.services import export_job_create, export_job_run
from tenants.actor import Actor
from tenants.policy import Permission

MAX_ATTEMPTS = 6
BACKOFF_SECONDS = 60  # then 2, 4, 8, 16 minutes (with jitter)
PUSHED_REPORTS = ("case_load_summary", "ovc_serv", "ovc_hivstat")


def dhis2_connection() -> Dhis2Connection | None:
    return Dhis2Connection.objects.order_by("pk").first()


def _client(connection: Dhis2Connection) -> Dhis2Client:
    return Dhis2Client(
        base_url=connection.base_url,
        username=connection.username,
        password=secret_decrypt(connection.password_encrypted),
        timeout=connection.timeout_seconds,
    )


@transaction.atomic
def dhis2_connection_save(
    *,
    actor: Actor,
    base_url: str,
    username: str,
    password: str = "",
    enabled: bool = False,
    timeout_seconds: int = 30,
) -> Dhis2Connection:
    """Configure the DHIS2 instance (national administrators); an empty password keeps the
    one stored. The password is encrypted at rest and never shown again."""
    actor.require(Permission.MANAGE_INTEGRATIONS)
    connection = dhis2_connection() or Dhis2Connection()
    username = (username or "").strip()
    errors = {}
    if not username or len(username) > 150:
        errors["username"] = [_("Enter the DHIS2 user name the platform signs in as.")]
    connection.base_url = connection_checked(
        base_url=base_url,
        timeout_seconds=timeout_seconds,
        secrets={"password": (password, bool(connection.password_encrypted))},
        errors=errors,
    )
    connection.username = username
    if password:
        connection.password_encrypted = secret_encrypt(password)
    connection.enabled = bool(enabled)
    connection.timeout_seconds = int(timeout_seconds)
    connection.updated_by = actor.user
    connection.save()
    return connection


def dhis2_connection_check(*, actor: Actor) -> tuple[bool, str]:
    """Ask DHIS2 for its version with the stored credentials; the answer is kept."""
    actor.require(Permission.MANAGE_INTEGRATIONS)
    connection = dhis2_connection()
    if connection is None:
        return False, _("DHIS2 is not configured.")
    try:
        ok, words = True, _client(connection).system_info()
    except Dhis2Error as error:
        ok, words = False, str(error)
    connection.last_checked_at = timezone.now()
    connection.last_check = words[:300]
    connection.save(update_fields=["last_checked_at", "last_check"])
    return ok, words


@transaction.atomic
def dhis2_push_request(
    *,
    actor: Actor,
    report: str,
    month_from: date,
    month_to: date,
    county: str = "",
    sub_county: str = "",
    dry_run: bool = True,
) -> Dhis2Push:
    """Queue a push of a report's published figures for a period and area; a dry run (the
    default) asks DHIS2 what it would do without importing anything."""
    from integrations.tasks import dhis2_push_task

    actor.require(Permission.MANAGE_INTEGRATIONS)
    connection = dhis2_connection()
    if connection is None or not connection.enabled:
        raise ValidationError(
            {"report": [_("DHIS2 push is off: configure and enable the DHIS2 connection.")]}
        )
    if report not in PUSHED_REPORTS:
        raise ValidationError({"report": [_("Choose a report DHIS2 receives.")]})
    job = export_job_create(
        actor=Actor(user=actor.user),
        export_format="json",
        month_from=month_from,
        month_to=month_to,
        county=county,
        sub_county=sub_county,
        report=report,
    )
    push = Dhis2Push.objects.create(
        report=report,
        month_from=job.month_from,
        month_to=job.month_to,
        county=job.county,
        sub_county=job.sub_county,
        dry_run=dry_run,
        export_job=job,
        requested_by=actor.user,
    )
    transaction.on_commit(lambda: dhis2_push_task.delay(push.pk))
    return push


def _backoff(attempts: int, now: datetime) -> datetime:
    seconds = BACKOFF_SECONDS * 2 ** (attempts - 1)
    return now + timedelta(seconds=seconds * random.uniform(0.9, 1.1))


def _finish(push: Dhis2Push, status: str, **fields) -> Dhis2Push:
    for name, value in fields.items():
        setattr(push, name, value)
    push.status = status
    push.next_attempt_at = None
    push.finished_at = timezone.now()
    push.save()
    return push


def _outcome(push: Dhis2Push, summary: ImportSummary) -> str:
    if summary.status == "ERROR" or summary.http_status == 409:
        return PushStatus.REFUSED
    if not summary.accepted:
        return PushStatus.PARTIAL if (summary.imported or summary.updated) else PushStatus.REFUSED
    return PushStatus.CHECKED if push.dry_run else PushStatus.SUCCEEDED


def _document(push: Dhis2Push) -> bytes | None:
    job = push.export_job
    if job.status != ExportStatus.DONE:
        job = export_job_run(job=job)
    if job.status != ExportStatus.DONE:
        _finish(push, PushStatus.FAILED, error=(job.error or _("The export failed."))[:500])
        return None
    with job.file.open("rb") as file:
        return file.read()


def dhis2_push_run(push_id: int, now: datetime | None = None) -> Dhis2Push:
    """Send one push (the task's body): build its export if not built, import it, keep
    DHIS2's summary; unreachable DHIS2 waits (exponential back-off) up to MAX_ATTEMPTS."""
    now = now or timezone.now()
    with transaction.atomic():
        push = Dhis2Push.objects.select_for_update().get(pk=push_id)
        if push.is_final or push.status == PushStatus.RUNNING:
            return push
        push.status = PushStatus.RUNNING
        push.attempts += 1
        push.save(update_fields=["status", "attempts"])
    document = _document(push)
    if document is None:
        return push
    push.values_sent = len(json.loads(document).get("dataValues", []))
    connection = dhis2_connection()
    if connection is None or not connection.enabled:
        return _finish(push, PushStatus.FAILED, error=_("DHIS2 push was turned off."))
    try:
        summary = _client(connection).data_value_sets(document, dry_run=push.dry_run)
    except Dhis2Error as error:
        fields = {"error": str(error)[:500], "http_status": error.http_status}
        if error.retry and push.attempts < MAX_ATTEMPTS:
            for name, value in fields.items():
                setattr(push, name, value)
            push.status = PushStatus.RETRYING
            push.next_attempt_at = _backoff(push.attempts, now)
            push.save()
            return push
        return _finish(push, PushStatus.FAILED, **fields)
    return _finish(
        push,
        _outcome(push, summary),
        http_status=summary.http_status,
        import_status=summary.status,
        imported=summary.imported,
        updated=summary.updated,
        ignored=summary.ignored,
        deleted=summary.deleted,
        conflicts=summary.conflicts,
        error="",
    )


def dhis2_pushes_due(now: datetime | None = None) -> int:
    """Beat: try again the pushes whose wait is over; how many were tried."""
    now = now or timezone.now()
    due = list(
        Dhis2Push.objects.filter(status=PushStatus.RETRYING, next_attempt_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    for push_id in due:
        dhis2_push_run(push_id, now=now)
    return len(due)
