"""Screens of field capture (issue 21): the offline app's page, its service worker and
manifest (served by the app itself, scoped to /field/), the supervisor's queue, and the
administrator's devices."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import localize
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from case_apps.field import selectors, services
from cpims.links import id_address
from tenants.actor import NotFound, actor_from_request
from tenants.capabilities import Waiting, waiting_count
from tenants.decorators import workspace_permission_required
from tenants.policy import Permission


@workspace_permission_required(Permission.RECORD_CASES)
def app_page(request: HttpRequest) -> HttpResponse:
    """The offline field app (its script does the rest, from IndexedDB when offline)."""
    return render(request, "field/app.html")


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served under /field/ so that its scope is the field app; it
    names the static files it keeps for offline use (with their hashed names)."""
    response = render(request, "field/sw.js", content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/field/"
    return response


def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: installable, opening on /field/."""
    return JsonResponse(
        {
            "name": gettext("CPIMS field forms"),
            "short_name": gettext("CPIMS field"),
            "start_url": "/field/",
            "scope": "/field/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#1b5e20",
            "icons": [{"src": static("field/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
        },
        content_type="application/manifest+json",
    )


@workspace_permission_required(Permission.SUPERVISE_CASES)
def queue(request: HttpRequest) -> HttpResponse:
    """The supervisor's queue of synced forms waiting for a decision (htmx search), a page
    at a time after the last row of the previous one; what waits per volunteer on request
    (``volunteers=1``)."""
    search = request.GET.get("q", "")[:100]
    per_volunteer = request.GET.get("volunteers") == "1"
    page = selectors.queue_page_open(
        actor=actor_from_request(request),
        search=search,
        after=request.GET.get("after", "")[:40],
        request=request,
        per_volunteer=per_volunteer,
    )
    context = {
        "page": page,
        "search": search,
        "per_volunteer": per_volunteer,
        "rows": present_queue(page.rows),
        # "name: n, name: n" as one string (a template loop over a few hundred volunteers
        # cost the page more than its query did)
        "per_author": ", ".join(f"{name}: {_number(n)}" for name, n in page.per_author),
    }
    return render(request, "field/queue.html", context)


def _number(n: int) -> str:
    """A count as the template shows it (only a count of thousands can be grouped)."""
    return localize(n) if n >= 1000 else str(n)


def present_queue(rows: list[selectors.QueueRow]) -> list[dict]:
    """Each row as the queue shows it, the page's repeated work done once: each visit date
    formatted once (a page holds a few days), the decision's address reversed once."""
    decide = id_address("field:decide")
    days: dict[date, str] = {}
    presented = []
    for row in rows:
        if row.visit_date not in days:
            days[row.visit_date] = localize(row.visit_date)
        presented.append(
            {"form": row, "visit_date": days[row.visit_date], "decide": decide(row.id)}
        )
    return presented


@require_POST
@workspace_permission_required(Permission.SUPERVISE_CASES)
def decide(request: HttpRequest, form_id: int) -> HttpResponse:
    """Approve a form, or reject it with a reason."""
    actor = actor_from_request(request)
    try:
        if request.POST.get("decision") == "approve":
            services.form_approve(actor=actor, form_id=form_id)
            messages.success(request, gettext("Form approved: it is in the child's history."))
        else:
            services.form_reject(
                actor=actor, form_id=form_id, reason=request.POST.get("reason", "")
            )
            messages.success(request, gettext("Form rejected: its author will see why."))
    except NotFound:
        raise Http404 from None
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("field:queue")


@workspace_permission_required(Permission.MANAGE_MEMBERS)
def devices(request: HttpRequest) -> HttpResponse:
    """The organisation's field devices, with the forms waiting from each, to revoke a lost
    or handed-on one (htmx search by member or label, a page at a time)."""
    search = request.GET.get("q", "")[:100]
    page = selectors.device_page(
        actor=actor_from_request(request), search=search, page=request.GET.get("page", 1)
    )
    return render(request, "field/devices.html", {"page": page, "search": search})


@require_POST
@workspace_permission_required(Permission.MANAGE_MEMBERS)
def device_revoke(request: HttpRequest, device_id: int) -> HttpResponse:
    """Revoke a device: the app wipes its store at its next sync (again: nothing changes)."""
    try:
        device = services.device_revoke(actor=actor_from_request(request), device_id=device_id)
    except NotFound:
        raise Http404 from None
    messages.success(
        request,
        gettext("Device %(device)s revoked: the app wipes its store at its next sync.")
        % {"device": device},
    )
    return redirect("field:devices")


def forms_waiting(request: HttpRequest) -> list[Waiting]:
    """Home: the member's own forms waiting for approval."""
    count = selectors.my_waiting_count(actor=actor_from_request(request))
    message = ngettext(
        "%(n)s of your field forms waits for approval",
        "%(n)s of your field forms wait for approval",
        count,
    )
    return waiting_count(count, message, reverse("field:app"))


def forms_to_decide(request: HttpRequest) -> list[Waiting]:
    """Home: field forms waiting for this supervisor's decision."""
    count = selectors.to_decide_count(actor=actor_from_request(request))
    message = ngettext(
        "%(n)s field form waits for your approval",
        "%(n)s field forms wait for your approval",
        count,
    )
    return waiting_count(count, message, reverse("field:queue"))
