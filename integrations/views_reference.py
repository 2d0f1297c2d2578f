"""The reference data console (``/console/integrations/reference/``): the KMHFL and NEMIS
connections, "Synchronise now", and the report of each synchronisation. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpims.form_errors import apply_errors
from integrations import services_reference
from integrations.forms import ReferenceSourceForm
from integrations.models import ReferenceKind, ReferenceSyncRun
from tenants.actor import actor_from_request
from tenants.decorators import platform_permission_required
from tenants.policy import Permission

MANAGE = Permission.MANAGE_INTEGRATIONS


def _form(kind: str, data=None) -> ReferenceSourceForm:
    source = services_reference.reference_source(kind)
    initial = {"timeout_seconds": 30}
    if source is not None:
        initial = {
            "base_url": source.base_url,
            "username": source.username,
            "client_id": source.client_id,
            "timeout_seconds": source.timeout_seconds,
            "enabled": source.enabled,
        }
    return ReferenceSourceForm(data, initial=initial, prefix=kind)


def _page(request: HttpRequest, forms: dict | None = None, status: int = 200) -> HttpResponse:
    forms = forms or {}
    kind_filter = request.GET.get("kind", "")
    runs = ReferenceSyncRun.objects.all()
    if kind_filter in ReferenceKind.values:
        runs = runs.filter(kind=kind_filter)
    sources = [
        (
            kind,
            label,
            services_reference.reference_source(kind),
            forms.get(kind) or _form(kind),
        )
        for kind, label in ReferenceKind.choices
    ]
    return render(
        request,
        "integrations/reference.html",
        {
            "sources": sources,
            "page": Paginator(runs, 25).get_page(request.GET.get("page")),
            "kinds": ReferenceKind.choices,
            "kind": kind_filter,
        },
        status=status,
    )


@platform_permission_required(MANAGE)
def reference(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@platform_permission_required(MANAGE)
def reference_save(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ReferenceKind.values:
        return redirect("integrations_console:reference")
    form = _form(kind, request.POST)
    if form.is_valid():
        try:
            services_reference.reference_source_save(
                actor=actor_from_request(request), kind=kind, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Connection saved."))
            return redirect("integrations_console:reference")
    return _page(request, {kind: form})


@require_POST
@platform_permission_required(MANAGE)
def reference_sync(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ReferenceKind.values:
        return redirect("integrations_console:reference")
    try:
        run = services_reference.reference_sync_request(
            actor=actor_from_request(request), kind=kind
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("integrations_console:reference")
    messages.success(request, _("Synchronisation started: its report shows here."))
    return redirect("integrations_console:reference_run", run_id=run.pk)


@platform_permission_required(MANAGE)
def reference_run(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(ReferenceSyncRun, pk=run_id)
    return render(request, "integrations/reference_run.html", {"run": run})
