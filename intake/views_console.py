"""DCS headquarters' intake console (``/console/intake/``): reports no office was found
for, routed by hand, and the intake clients (created, rotated, paused)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cpims.form_errors import apply_errors
from intake import selectors, services_clients
from intake.forms import ClientForm, RouteForm, SearchForm
from intake.models import IntakeClient, IntakeReport, IntakeStatus
from intake.services import intake_report_route
from tenants.actor import actor_from_request
from tenants.decorators import platform_permission_required
from tenants.policy import Permission

PAGE_SIZE = 50


@platform_permission_required(Permission.MANAGE_INTAKE)
def unrouted(request: HttpRequest) -> HttpResponse:
    """Reports whose place has no office (or no place at all): route each by hand."""
    search = SearchForm(request.GET or None)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    offices = selectors.dcs_offices()
    form = RouteForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        report = get_object_or_404(
            IntakeReport,
            reference=request.POST.get("reference", "")[:24],
            office__isnull=True,
            status=IntakeStatus.RECEIVED,
        )
        office = offices.filter(pk=form.cleaned_data["office"]).first()
        try:
            intake_report_route(actor=actor_from_request(request), report=report, office=office)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Report %(reference)s routed to %(office)s.")
                % {"reference": report.reference, "office": office.name},
            )
            return redirect("intake_console:unrouted")
    page = Paginator(selectors.unrouted_reports(search=text), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "intake/console_unrouted.html",
        {"page": page, "search": search, "form": form, "query": query},
    )


@platform_permission_required(Permission.MANAGE_INTAKE)
def clients(request: HttpRequest) -> HttpResponse:
    """The intake clients; a new one shows its key id and secret once."""
    search = SearchForm(request.GET or None)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    form = ClientForm(request.POST or None)
    shown = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services_clients.intake_client_create(
                actor=actor_from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            shown = vars(created)
            form = ClientForm()
    return render(
        request,
        "intake/console_clients.html",
        {"clients": selectors.clients(search=text), "search": search, "form": form, "shown": shown},
    )


@platform_permission_required(Permission.MANAGE_INTAKE)
def client(request: HttpRequest, client_id: int) -> HttpResponse:
    """One client: rotate its secret (the previous one works 24 more hours), pause or resume."""
    found = get_object_or_404(IntakeClient, pk=client_id)
    actor = actor_from_request(request)
    shown = None
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "rotate":
        shown = {
            "client": found,
            "secret": services_clients.intake_client_rotate(actor=actor, client=found),
        }
        found.refresh_from_db()
    elif action in ("pause", "resume"):
        services_clients.intake_client_set_active(
            actor=actor, client=found, active=action == "resume"
        )
        messages.success(request, _("Saved."))
        return redirect("intake_console:client", client_id=found.pk)
    return render(request, "intake/console_client.html", {"client": found, "shown": shown})
