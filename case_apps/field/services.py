"""Writes of field capture: devices, the sync of captured forms, and the supervisor's
decision (issue 21). A synced form is stored as sent and waits; only approval writes the
real record, through the same service the web app calls, dated by the visit date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.field import kinds
from case_apps.field.models import WAITING, Device, FieldForm, FormStatus
from case_apps.field.selectors import decidable_forms
from case_apps.ovc import date_rules
from tenants.actor import Actor, Forbidden, NotFound, member_actor
from tenants.api_errors import error_fields
from tenants.client_ids import uuid_lock, uuid_locks
from tenants.policy import Permission

STORED = "stored"
REPLAYED = "replayed"
REFUSED = "refused"


class DeviceRevoked(Exception):
    """The device was revoked (or belongs to someone else): the app must wipe its store."""


@transaction.atomic
def device_register(*, actor: Actor, uuid: UUID, label: str = "") -> Device:
    """The member's device, registered on its first sync (the same uuid again: the same
    device); a revoked device stays revoked."""
    actor.require(Permission.RECORD_CASES)
    uuid_lock(uuid, Device)
    device = Device.objects.filter(uuid=uuid).first()
    if device is None:
        return Device.objects.create(uuid=uuid, user=actor.user, label=(label or "")[:100])
    if device.user_id != actor.user_id or device.revoked_at is not None:
        raise DeviceRevoked
    return device


def device_for(*, actor: Actor, uuid: UUID) -> Device:
    """The caller's own active device, registered on its first sync; ``DeviceRevoked`` when
    revoked or not theirs (the check is ``device_register``'s)."""
    return device_register(actor=actor, uuid=uuid)


@transaction.atomic
def device_revoke(*, actor: Actor, device_id: int) -> Device:
    """An administrator revokes a device: its next sync is told to wipe its store."""
    actor.require(Permission.MANAGE_MEMBERS)
    device = Device.objects.select_for_update().filter(pk=device_id).first()
    if device is None:
        raise NotFound
    if device.revoked_at is None:
        device.revoked_at = timezone.now()
        device.revoked_by = actor.user
        device.save(update_fields=["revoked_at", "revoked_by"])
    return device


@dataclass
class Answer:
    """The server's answer about one uploaded form."""

    uuid: str
    result: str
    status: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)


def _same(form: FieldForm, item: dict[str, Any]) -> bool:
    return (
        form.kind == item.get("kind")
        and form.visit_date.isoformat() == str(item.get("visit_date"))
        and form.payload == (item.get("payload") or {})
    )


def _date(value: Any) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({"visit_date": [gettext("Enter a valid date.")]}) from None


def field_form_about(kind: str, target, **fields: Any) -> FieldForm:
    """An unsaved field form of ``kind`` about ``target`` (the enrolled child, household or
    case), with its household named for the supervisor's queue."""
    about = kinds.KINDS[kind].about
    household_id = target.pk if about == "household" else None
    if about == "enrolment":
        household_id = target.household_id
    return FieldForm(
        kind=kind,
        enrolment=target if about == "enrolment" else None,
        household_id=household_id,
        case=target if about == "case" else None,
        **fields,
    )


def _target_id(form: FieldForm) -> int | None:
    """The id of the record a stored form is about, by its kind."""
    about = kinds.KINDS[form.kind].about
    return {"enrolment": form.enrolment_id, "household": form.household_id}.get(about, form.case_id)


def _uuid(item: dict[str, Any]) -> UUID | None:
    try:
        return UUID(str(item.get("uuid") or ""))
    except ValueError:
        return None


def _receive(
    actor: Actor,
    device: Device,
    item: dict[str, Any],
    existing: dict[UUID, FieldForm],
    targets: dict[tuple[str, Any], Any],
    stored_now: list[FieldForm],
) -> Answer:
    """One form of a batch whose uuids are locked and whose stored forms are ``existing``;
    ``targets`` keeps the batch's children and cases, each read once as ``actor``; a form to
    store is added to ``stored_now`` (the batch inserts them at once)."""
    raw_uuid = str(item.get("uuid") or "")
    uuid = _uuid(item)
    if uuid is None:
        return Answer(raw_uuid, REFUSED, errors={"uuid": [gettext("Enter a valid UUID.")]})
    stored = existing.get(uuid)
    if stored is not None:
        if stored.author_id == actor.user_id and _same(stored, item):
            return Answer(raw_uuid, REPLAYED, stored.status)
        return Answer(
            raw_uuid,
            REFUSED,
            errors={"uuid": [gettext("This uuid already names a record with other content.")]},
        )
    kind = item.get("kind")
    if kind not in kinds.KINDS:
        return Answer(raw_uuid, REFUSED, errors={"kind": [gettext("Unknown kind of form.")]})
    about = kinds.KINDS[kind].about
    try:
        visit_date = _date(item.get("visit_date"))
        values = kinds.payload_values(kind, visit_date, item.get("payload") or {})
        key = (about, item.get("target_id"))
        if key not in targets:
            targets[key] = kinds.target_of(kind, actor, item.get("target_id"))
        target = targets[key]
        kinds.check(kind, actor, target, visit_date, values, uuid)
    except (NotFound, Forbidden):
        message = gettext("No such household, child or case in your caseload.")
        return Answer(raw_uuid, REFUSED, errors={"target_id": [message]})
    except ValidationError as error:
        return Answer(raw_uuid, REFUSED, errors=error_fields(error))
    base = str(item.get("base_stamp") or "")[:64]
    changed = bool(base) and base != kinds.stamp(target)
    form = field_form_about(
        kind,
        target,
        uuid=uuid,
        author=actor.user,
        device=device,
        visit_date=visit_date,
        payload=item.get("payload") or {},
        base_stamp=base,
        status=FormStatus.CONFLICT if changed else FormStatus.PENDING,
        captured_at=_captured(item.get("captured_at")),
    )
    existing[uuid] = form  # the same uuid again in this batch: a replay
    stored_now.append(form)
    return Answer(raw_uuid, STORED, form.status)


def _captured(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


@transaction.atomic
def forms_receive(*, actor: Actor, device: Device, items: list[dict[str, Any]]) -> list[Answer]:
    """A batch from a device, in one transaction: each form stored as waiting or refused on
    its own, checked by its service's rules (nothing is written before approval), flagged
    when its record changed on the server since the device saw it. A form already stored
    under its uuid is answered "replayed" and stored once: an upload cut off before its
    answer is sent again. The batch's uuids are locked and looked up at once, and each child
    or case is read once; the stored forms are inserted together."""
    actor.require(Permission.RECORD_CASES)
    uuids = [uuid for uuid in map(_uuid, items) if uuid is not None]
    uuid_locks(uuids, FieldForm)
    existing = FieldForm.objects.in_bulk(uuids, field_name="uuid") if uuids else {}
    targets: dict[tuple[str, Any], Any] = {}
    stored_now: list[FieldForm] = []
    answers = [_receive(actor, device, item, existing, targets, stored_now) for item in items]
    # one insert (the form itself is the record of its arrival: author, device, time, as
    # sent; the decision on it is what the audit log records)
    FieldForm.objects.bulk_create(stored_now)
    Device.objects.filter(pk=device.pk).update(last_seen_at=timezone.now())
    return answers


def form_receive(*, actor: Actor, device: Device, item: dict[str, Any]) -> Answer:
    """One uploaded form (a batch of one)."""
    return forms_receive(actor=actor, device=device, items=[item])[0]


def _decidable(actor: Actor, form_id: int) -> FieldForm:
    form = decidable_forms(actor=actor).select_for_update(of=("self",)).filter(pk=form_id).first()
    if form is None:
        raise NotFound
    return form


@transaction.atomic
def form_approve(*, actor: Actor, form_id: int) -> FieldForm:
    """Approve a waiting form: its record is written by the kind's service as the approving
    supervisor (credited to the volunteer), dated by the visit date, so the child's history
    and the outbox fact carry that date; entered as on the day it reached the server."""
    form = _decidable(actor, form_id)
    author = member_actor(_author(form), actor.organisation)
    values = kinds.payload_values(form.kind, form.visit_date, form.payload)
    target = kinds.target_of(form.kind, actor, _target_id(form))
    with date_rules.entered_on(timezone.localdate(form.received_at)):
        record = kinds.write(form.kind, actor, target, form.visit_date, values, form.uuid)
    kinds.credit_author(record, author.user_id)
    form.status = FormStatus.APPROVED
    form.decided_by = actor.user
    form.decided_at = timezone.now()
    form.record_id = record.pk
    form.save(update_fields=["status", "decided_by", "decided_at", "record_id"])
    return form


def _author(form: FieldForm):
    from tenants.models import User

    return User.objects.get(pk=form.author_id)


@transaction.atomic
def form_reject(*, actor: Actor, form_id: int, reason: str) -> FieldForm:
    """Reject a waiting form with a reason: nothing is written; the volunteer sees why."""
    form = _decidable(actor, form_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [gettext("Say why the form is rejected.")]})
    form.status = FormStatus.REJECTED
    form.reason = reason
    form.decided_by = actor.user
    form.decided_at = timezone.now()
    form.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    return form


__all__ = ["WAITING", "DeviceRevoked", "device_register", "forms_receive", "form_approve"]
