"""Webhooks API (django-ninja) for the caller's own organisation: list, subscribe, read and
delete subscriptions, read a subscription's delivery log, replay a delivery. The screens'
services, selectors and policy; another organisation's ids answer 404."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from tenants.api_errors import ErrorOut, InvalidOut, api_call, api_require
from tenants.api_input import (
    MAX_ITEMS,
    NAME_MAX_LENGTH,
    BoundedLimitOffsetPagination,
    RecordId,
    Word,
)
from tenants.policy import Permission
from webhooks import selectors, services
from webhooks.models import WebhookDelivery, WebhookSubscription
from webhooks.services import DESCRIPTION_MAX_LENGTH
from webhooks.transport import URL_MAX_LENGTH

router = Router(tags=["webhooks"])


class WebhookIn(Schema):
    url: str = Field(..., max_length=URL_MAX_LENGTH)
    events: Annotated[list[Word], Field(max_length=MAX_ITEMS)] = Field(
        ..., description="Event names (none is chosen for you): see docs/integrations.md"
    )
    description: str = Field("", max_length=DESCRIPTION_MAX_LENGTH)


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    description: str
    status: str
    paused_reason: str
    paused_at: datetime | None
    consecutive_failures: int
    previous_secret_until: datetime | None
    created_at: datetime


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(description="The signing secret, shown this once")


class DeliveryOut(Schema):
    id: int
    uuid: UUID
    event: str
    data: dict[str, Any] = Field(alias="payload")
    status: str
    attempts: int
    replays: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str
    created_at: datetime
    delivered_at: datetime | None


def _subscription(request: HttpRequest, webhook_id: int) -> WebhookSubscription:
    api_require(request, Permission.MANAGE_WEBHOOKS)
    subscription = selectors.subscription_of(
        organisation=request.organisation, subscription_id=webhook_id
    )
    if subscription is None:
        raise HttpError(404, "No such webhook of your organisation.")
    return subscription


def _delivery(request: HttpRequest, delivery_id: int) -> WebhookDelivery:
    api_require(request, Permission.MANAGE_WEBHOOKS)
    delivery = selectors.delivery_of(organisation=request.organisation, delivery_id=delivery_id)
    if delivery is None:
        raise HttpError(404, "No such delivery of your organisation's webhooks.")
    return delivery


@router.get(
    "/webhooks",
    operation_id="webhooks_api_list",
    response={200: list[WebhookOut], 403: ErrorOut},
    summary="Your organisation's webhooks",
)
@paginate(BoundedLimitOffsetPagination)
def list_webhooks(
    request: HttpRequest,
    q: str = Query("", max_length=selectors.SEARCH_MAX_LENGTH),
):
    api_require(request, Permission.MANAGE_WEBHOOKS)
    return selectors.subscriptions_of(organisation=request.organisation, search=q)


@router.post(
    "/webhooks",
    operation_id="webhooks_api_create",
    response={201: WebhookCreatedOut, 403: ErrorOut, 422: InvalidOut},
    summary="Subscribe a URL to events (the signing secret is in this answer only)",
)
def create_webhook(request: HttpRequest, payload: WebhookIn):
    api_require(request, Permission.MANAGE_WEBHOOKS)
    subscription, secret = api_call(
        services.subscription_create,
        organisation=request.organisation,
        url=payload.url,
        events=payload.events,
        description=payload.description,
        created_by=request.user if request.user.is_authenticated else None,
    )
    subscription.secret = secret
    return Status(201, subscription)


@router.get(
    "/webhooks/{webhook_id}",
    operation_id="webhooks_api_get",
    response={200: WebhookOut, 403: ErrorOut, 404: ErrorOut},
    summary="One webhook",
)
def get_webhook(request: HttpRequest, webhook_id: RecordId):
    return _subscription(request, webhook_id)


@router.delete(
    "/webhooks/{webhook_id}",
    operation_id="webhooks_api_delete",
    response={204: None, 403: ErrorOut, 404: ErrorOut},
    summary="Delete a webhook and its delivery log",
)
def delete_webhook(request: HttpRequest, webhook_id: RecordId):
    services.subscription_delete(subscription=_subscription(request, webhook_id))
    return Status(204, None)


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    operation_id="webhooks_api_deliveries",
    response={200: list[DeliveryOut], 403: ErrorOut, 404: ErrorOut},
    summary="A webhook's delivery log, newest first",
)
@paginate(BoundedLimitOffsetPagination)
def list_deliveries(
    request: HttpRequest,
    webhook_id: RecordId,
    status: str = Query("", max_length=NAME_MAX_LENGTH),
    q: str = Query("", max_length=selectors.SEARCH_MAX_LENGTH),
):
    subscription = _subscription(request, webhook_id)
    return selectors.deliveries_of(subscription=subscription, status=status, search=q)


@router.post(
    "/webhooks/deliveries/{delivery_id}/replay",
    operation_id="webhooks_api_replay",
    response={202: DeliveryOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Send a delivery again, with the same delivery id",
)
def replay_delivery(request: HttpRequest, delivery_id: RecordId):
    delivery = api_call(services.delivery_replay, delivery=_delivery(request, delivery_id))
    return Status(202, delivery)
