"""DCS headquarters console: organisations on the platform."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants.decorators import platform_permission_required
from tenants.models import OrganisationStatus
from tenants.policy import Permission
from tenants.selectors import organisation_list


@platform_permission_required(Permission.USE_CONSOLE)
def console_organisations(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    if status not in OrganisationStatus.values:
        status = ""
    page = Paginator(organisation_list(search=search, status=status), 25).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "search": search,
        "status": status,
        "statuses": OrganisationStatus.choices,
    }
    template = "tenants/_organisation_rows.html" if request.htmx else "tenants/console.html"
    return render(request, template, context)
