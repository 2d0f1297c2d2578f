"""The integrations console of DCS headquarters (``/console/integrations/``): the DHIS2
connection and the pushes of national figures. Thin: the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpims.form_errors import apply_errors
from integrations import selectors_dhis2, services_dhis2
from integrations.forms import Dhis2ConnectionForm, Dhis2PushForm
from integrations.models import Dhis2Push, PushStatus
from national_statistics.definitions import REPORTS
from shared_registry.models import County
from tenants.actor import actor_from_request
from tenants.decorators import platform_permission_required
from tenants.policy import Permission

MANAGE = Permission.MANAGE_INTEGRATIONS


def _push_form(data=None) -> Dhis2PushForm:
    titles = {key: _(definition.title) for key, definition in REPORTS.items()}
    counties = list(County.objects.order_by("name").values_list("code", "name"))
    return Dhis2PushForm(data, report_titles=titles, counties=counties)


def _connection_form(data=None) -> Dhis2ConnectionForm:
    connection = services_dhis2.dhis2_connection()
    initial = {"timeout_seconds": 30}
    if connection is not None:
        initial = {
            "base_url": connection.base_url,
            "username": connection.username,
            "timeout_seconds": connection.timeout_seconds,
            "enabled": connection.enabled,
        }
    return Dhis2ConnectionForm(data, initial=initial)


def _page(request: HttpRequest, *, connection_form=None, push_form=None, status: int = 200):
    status_filter = request.GET.get("status", "")
    q = request.GET.get("q", "")
    pushes = selectors_dhis2.dhis2_pushes(status=status_filter, q=q)
    page = Paginator(pushes, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "integrations/dhis2.html",
        {
            "connection": services_dhis2.dhis2_connection(),
            "connection_form": connection_form or _connection_form(),
            "push_form": push_form or _push_form(),
            "page": page,
            "statuses": PushStatus.choices,
            "status": status_filter,
            "q": q,
        },
        status=status,
    )


@platform_permission_required(MANAGE)
def dhis2(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@platform_permission_required(MANAGE)
def dhis2_connection(request: HttpRequest) -> HttpResponse:
    form = _connection_form(request.POST)
    if form.is_valid():
        try:
            services_dhis2.dhis2_connection_save(
                actor=actor_from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("DHIS2 connection saved."))
            return redirect("integrations_console:dhis2")
    return _page(request, connection_form=form)


@require_POST
@platform_permission_required(MANAGE)
def dhis2_check(request: HttpRequest) -> HttpResponse:
    ok, words = services_dhis2.dhis2_connection_check(actor=actor_from_request(request))
    if ok:
        messages.success(request, _("DHIS2 answered: %(w)s.") % {"w": words})
    else:
        messages.error(request, _("DHIS2 could not be reached: %(w)s.") % {"w": words})
    return redirect("integrations_console:dhis2")


@require_POST
@platform_permission_required(MANAGE)
def dhis2_push(request: HttpRequest) -> HttpResponse:
    form = _push_form(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            push = services_dhis2.dhis2_push_request(
                actor=actor_from_request(request),
                report=data["report"],
                month_from=data["month_from"],
                month_to=data["month_to"],
                county=data["county"],
                dry_run=data["dry_run"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Push queued: its result shows here when DHIS2 answers."))
            return redirect("integrations_console:dhis2_push_detail", push_id=push.pk)
    return _page(request, push_form=form)


@platform_permission_required(MANAGE)
def dhis2_push_detail(request: HttpRequest, push_id: int) -> HttpResponse:
    push = get_object_or_404(Dhis2Push.objects.select_related("requested_by"), pk=push_id)
    return render(request, "integrations/dhis2_push.html", {"push": push})
