"""Log viewers: an organisation's own logs (workspace) and the platform logs (console),
plus the user's API tokens in their workspace."""

from __future__ import annotations

import datetime

from auditlog.models import LogEntry
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import selectors, services
from audit.access_kinds import access_kind_choices, access_rows
from tenants.actor import actor_from_request
from tenants.decorators import platform_permission_required, workspace_permission_required
from tenants.policy import Permission

PAGE_SIZE = 50


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filters(request: HttpRequest) -> dict:
    return {
        "search": request.GET.get("q", "").strip()[:100],
        "since": _date(request.GET.get("since", "")),
        "until": _date(request.GET.get("until", "")),
    }


def _changes(request: HttpRequest, scope: str) -> HttpResponse:
    filters = _filters(request)
    action = request.GET.get("action", "")
    if action not in {str(value) for value, _label in LogEntry.Action.choices}:
        action = ""
    model_name = request.GET.get("model", "")[:100]
    entries = selectors.change_entries(action=action, model_name=model_name, **filters)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "scope": scope,
        "tab": "changes",
        "page": page,
        "filters": filters,
        "action": action,
        "actions": LogEntry.Action.choices,
        "model": model_name,
        "models": selectors.change_model_names(),
    }
    template = "audit/_change_rows.html" if request.htmx else "audit/log.html"
    return render(request, template, context)


def _access(request: HttpRequest, scope: str) -> HttpResponse:
    filters = _filters(request)
    kind = request.GET.get("kind", "")[:64]
    under = request.GET.get("under", "")
    under = under if under in {"agreement", "membership"} else ""
    entries = selectors.access_entries(record_kind=kind, under=under, **filters)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "scope": scope,
        "tab": "access",
        "page": page,
        "rows": access_rows(page.object_list, scope=scope),
        "filters": filters,
        "kind": kind,
        "kinds": access_kind_choices(selectors.access_record_kinds()),
        "under": under,
    }
    template = "audit/_access_rows.html" if request.htmx else "audit/log.html"
    return render(request, template, context)


@workspace_permission_required(Permission.VIEW_ORGANISATION_AUDIT_LOG)
def workspace_changes(request: HttpRequest) -> HttpResponse:
    return _changes(request, "workspace")


@workspace_permission_required(Permission.VIEW_ORGANISATION_AUDIT_LOG)
def workspace_access(request: HttpRequest) -> HttpResponse:
    return _access(request, "workspace")


@platform_permission_required(Permission.VIEW_PLATFORM_AUDIT_LOG)
def platform_changes(request: HttpRequest) -> HttpResponse:
    return _changes(request, "platform")


@platform_permission_required(Permission.VIEW_PLATFORM_AUDIT_LOG)
def platform_access(request: HttpRequest) -> HttpResponse:
    return _access(request, "platform")


# --- Personal access tokens (any member, for themselves, in this workspace) --------------------
@workspace_permission_required(Permission.ENTER_WORKSPACE)
def tokens(request: HttpRequest) -> HttpResponse:
    created = None
    errors: dict[str, str] = {}
    form = {"name": "", "days": "30"}
    if request.method == "POST":
        form = {
            "name": request.POST.get("name", "").strip(),
            "days": request.POST.get("days", "").strip(),
        }
        if not form["name"]:
            errors["name"] = _("Give the token a name.")
        try:
            days = int(form["days"])
            if not 1 <= days <= 365:
                raise ValueError
        except ValueError:
            errors["days"] = _("Enter a number of days from 1 to 365.")
        if not errors:
            _token, created = services.token_create(
                actor=actor_from_request(request),
                name=form["name"],
                days=days,
            )
            form = {"name": "", "days": "30"}
    search = request.GET.get("q", "").strip()[:100]
    state = request.GET.get("state", "")
    queryset = selectors.tokens_of(
        user=request.user, organisation=request.organisation, search=search, state=state
    )
    context = {
        "tokens": queryset,
        "state": state,
        "created": created,
        "errors": errors,
        "form": form,
        "search": search,
    }
    return render(request, "audit/tokens.html", context, status=400 if errors else 200)


@require_POST
@workspace_permission_required(Permission.ENTER_WORKSPACE)
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = services.token_revoke(actor=actor_from_request(request), token_id=token_id)
    messages.success(
        request, _("Token “%(name)s” revoked: it no longer opens the API.") % {"name": token.name}
    )
    return redirect("audit:tokens")
