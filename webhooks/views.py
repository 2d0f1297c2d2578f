"""Screens of an organisation's webhooks (``/organisation/webhooks/``), for its
administrators: the list, a new subscription (its secret shown once), a subscription's
delivery log with replay, pause and resume, secret rotation and deletion."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants.decorators import workspace_permission_required
from tenants.policy import Permission
from webhooks import selectors, services
from webhooks.events import EVENTS
from webhooks.forms import SubscriptionForm
from webhooks.models import DeliveryStatus, WebhookSubscription

PAGE_SIZE = 50
MANAGE = Permission.MANAGE_WEBHOOKS


def _own(request: HttpRequest, subscription_id: int) -> WebhookSubscription:
    subscription = selectors.subscription_of(
        organisation=request.organisation, subscription_id=subscription_id
    )
    if subscription is None:
        raise Http404
    return subscription


def _event_labels(subscription: WebhookSubscription) -> list[tuple[str, str]]:
    return [(event, EVENTS.get(event, event)) for event in subscription.events]


@workspace_permission_required(MANAGE)
def subscription_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[: selectors.SEARCH_MAX_LENGTH]
    rows = selectors.subscriptions_of(organisation=request.organisation, search=search)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "webhooks/list.html", {"page": page, "search": search})


def _secret_page(request: HttpRequest, subscription, secret: str, *, rotated: bool):
    return render(
        request,
        "webhooks/secret.html",
        {"subscription": subscription, "secret": secret, "rotated": rotated},
    )


@workspace_permission_required(MANAGE)
def subscription_new(request: HttpRequest) -> HttpResponse:
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription, secret = services.subscription_create(
                organisation=request.organisation,
                created_by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            return _secret_page(request, subscription, secret, rotated=False)
    status = 400 if request.method == "POST" else 200
    return render(request, "webhooks/new.html", {"form": form}, status=status)


@workspace_permission_required(MANAGE)
def subscription_detail(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = _own(request, subscription_id)
    filters = {
        "status": request.GET.get("status", "")[:16],
        "search": request.GET.get("q", "").strip()[: selectors.SEARCH_MAX_LENGTH],
    }
    rows = selectors.deliveries_of(subscription=subscription, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "subscription": subscription,
        "events": _event_labels(subscription),
        "page": page,
        "filters": filters,
        "statuses": DeliveryStatus.choices,
        "counts": selectors.delivery_counts(subscription),
    }
    return render(request, "webhooks/detail.html", context)


@require_POST
@workspace_permission_required(MANAGE)
def subscription_action(request: HttpRequest, subscription_id: int, action: str) -> HttpResponse:
    subscription = _own(request, subscription_id)
    if action == "pause":
        reason = _("Paused by %(email)s") % {"email": request.user.email}
        services.subscription_pause(subscription=subscription, reason=reason)
        messages.success(request, _("The webhook is paused: nothing is sent until you resume it."))
    elif action == "resume":
        services.subscription_resume(subscription=subscription)
        messages.success(request, _("The webhook is active again; waiting deliveries are sent."))
    elif action == "rotate":
        secret = services.subscription_rotate_secret(subscription=subscription)
        return _secret_page(request, subscription, secret, rotated=True)
    elif action == "delete":
        services.subscription_delete(subscription=subscription)
        messages.success(request, _("The webhook and its delivery log were deleted."))
        return redirect("webhooks:list")
    else:
        raise Http404
    return redirect("webhooks:detail", subscription_id=subscription.pk)


@workspace_permission_required(MANAGE)
def delivery_detail(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = selectors.delivery_of(organisation=request.organisation, delivery_id=delivery_id)
    if delivery is None:
        raise Http404
    context = {
        "delivery": delivery,
        "subscription": delivery.subscription,
        "attempts": selectors.attempts_of(delivery)[:200],
    }
    return render(request, "webhooks/delivery.html", context)


@require_POST
@workspace_permission_required(MANAGE)
def delivery_replay(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = selectors.delivery_of(organisation=request.organisation, delivery_id=delivery_id)
    if delivery is None:
        raise Http404
    try:
        services.delivery_replay(delivery=delivery)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The delivery is being sent again, with the same id."))
    return redirect("webhooks:detail", subscription_id=delivery.subscription_id)
