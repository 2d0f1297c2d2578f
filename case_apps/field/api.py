"""Sync API of the field app (issue 21), under the workspace API: the member's offline
bundle, the upload of captured forms (each answered on its own, idempotent by its uuid),
their statuses, and devices. A revoked device is answered 410 with ``wipe``."""

from __future__ import annotations

import base64
import secrets
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from case_apps.field import selectors, services
from tenants.actor import NotFound, actor_from_request
from tenants.api_errors import InvalidInput, api_call, api_require
from tenants.api_input import MAX_ITEMS, RecordId
from tenants.policy import Permission

router = Router(tags=["field"])
SESSION_KEY = "field_key"  # the per-session key of the device's store: gone at sign-out
BATCH_MAX = min(MAX_ITEMS, 100)
DeviceId = Annotated[str, Field(max_length=36)]  # the uuid the app drew for itself


def _session_key(request: HttpRequest) -> str:
    key = request.session.get(SESSION_KEY)
    if not key:
        key = base64.b64encode(secrets.token_bytes(32)).decode()
        request.session[SESSION_KEY] = key
    return key


def _device(request: HttpRequest, device: str):
    actor = actor_from_request(request)
    try:
        uuid = UUID(device)
    except ValueError:
        raise InvalidInput({"device": ["Enter a valid UUID."]}) from None
    try:
        return actor, services.device_for(actor=actor, uuid=uuid)
    except services.DeviceRevoked:
        raise HttpError(410, "wipe: this device was revoked.") from None


class BundleOut(Schema):
    wipe: bool = False
    key: str
    user: str
    households: list[dict[str, Any]]
    cases: list[dict[str, Any]]
    codes: dict[str, Any]


@router.get("/field/bundle", response=BundleOut, summary="The member's offline bundle")
def field_bundle(request: HttpRequest, device: DeviceId):
    api_require(request, Permission.RECORD_CASES)
    actor, _device_row = _device(request, device)
    return {
        "key": _session_key(request),
        "user": request.user.email,
        **selectors.bundle_open(actor=actor, purpose="field app bundle API", request=request),
    }


class FormIn(Schema):
    uuid: str = Field(max_length=64)
    kind: str = Field(max_length=32)
    target_id: RecordId
    visit_date: str = Field(max_length=32)
    payload: dict[str, Any] = {}
    base_stamp: str = Field("", max_length=64)
    captured_at: str = Field("", max_length=64)


class BatchIn(Schema):
    device: DeviceId
    forms: list[FormIn] = Field(max_length=BATCH_MAX)


class AnswerOut(Schema):
    uuid: str
    result: str
    status: str
    errors: dict[str, list[str]]


class BatchOut(Schema):
    wipe: bool = False
    answers: list[AnswerOut]


@router.post("/field/forms", response=BatchOut, summary="Upload captured forms (idempotent)")
def field_forms_upload(request: HttpRequest, payload: BatchIn):
    api_require(request, Permission.RECORD_CASES)
    actor, device = _device(request, payload.device)
    answers = api_call(
        services.forms_receive,
        actor=actor,
        device=device,
        items=[form.dict() for form in payload.forms],
    )
    return {"answers": [answer.__dict__ for answer in answers]}


class FormOut(Schema):
    uuid: UUID
    kind: str
    status: str
    reason: str
    visit_date: date
    decided_at: datetime | None


@router.get("/field/forms", response=list[FormOut], summary="My synced forms and their statuses")
def field_forms_mine(request: HttpRequest):
    api_require(request, Permission.RECORD_CASES)
    return list(selectors.my_forms(actor=actor_from_request(request))[:500])


class DeviceOut(Schema):
    id: int
    uuid: UUID
    label: str
    user_id: int
    registered_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None


@router.get("/field/devices", response=list[DeviceOut], summary="The organisation's devices")
def field_devices(request: HttpRequest):
    api_require(request, Permission.MANAGE_MEMBERS)
    return list(selectors.devices(actor=actor_from_request(request))[:1000])


@router.post("/field/devices/{device_id}/revoke", response=DeviceOut, summary="Revoke a device")
def field_device_revoke(request: HttpRequest, device_id: RecordId):
    api_require(request, Permission.MANAGE_MEMBERS)
    try:
        return api_call(
            services.device_revoke, actor=actor_from_request(request), device_id=device_id
        )
    except NotFound:
        raise HttpError(404, "No such device.") from None
