"""DCS headquarters console: data subject requests (``/console/data-requests/``)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from shared_registry.selectors import person_get_by_cpims_id, person_search
from sharing import dsr
from sharing.gateway import SharingRefused
from tenants.actor import actor_from_request
from tenants.decorators import platform_permission_required
from tenants.policy import Permission

# Set on the zip's answer: the page's script then knows the download has begun and lets
# the button be pressed again (a download never loads a new page; docs/ui.md, *Progress*).
DOWNLOAD_COOKIE = "cpims-dsr-download"


def _context(request: HttpRequest, values: dict, errors: dict) -> dict:
    query = request.GET.get("q", "").strip()[:100]
    history = request.GET.get("h", "").strip()[:100]
    page = Paginator(dsr.data_subject_requests(history), 50).get_page(request.GET.get("page"))
    return {
        "query": query,
        "matches": person_search(query=query) if query else [],
        "values": values,
        "errors": errors,
        "page": page,
        "history": history,
        "download_cookie": DOWNLOAD_COOKIE,
    }


@platform_permission_required(Permission.HANDLE_DATA_SUBJECT_REQUESTS)
def data_requests(request: HttpRequest) -> HttpResponse:
    """Find the person, state the request's reference and reason, download the export."""
    values = {"person": request.GET.get("person", "").strip()[:20], "reference": "", "reason": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {
            name: request.POST.get(name, "").strip()[:limit]
            for name, limit in (("person", 20), ("reference", 60), ("reason", 180))
        }
        person = person_get_by_cpims_id(values["person"]) if values["person"] else None
        if person is None:
            errors["person"] = _("No registry person has this CPIMS ID.")
        if not values["reference"]:
            errors["reference"] = _("Give the request's reference (e.g. the letter's number).")
        if not values["reason"]:
            errors["reason"] = _("Say who asked and on what ground.")
        if not errors:
            try:
                export = dsr.data_subject_export(
                    actor=actor_from_request(request),
                    person=person,
                    reference=values["reference"],
                    reason=values["reason"],
                    request=request,
                )
            except SharingRefused as refused:
                errors["form"] = str(refused)
            else:
                response = HttpResponse(export.content, content_type="application/zip")
                response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
                response["Cache-Control"] = "no-store"
                response.set_cookie(
                    DOWNLOAD_COOKIE, "done", max_age=60, samesite="Lax", secure=request.is_secure()
                )
                return response
    status = 400 if errors else 200
    return render(request, "sharing/dsr.html", _context(request, values, errors), status=status)
