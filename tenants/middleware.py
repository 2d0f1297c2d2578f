"""Routing by host and the workspace door: members only, sessions bound to their host."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from tenants import schema
from tenants.models import OrganisationStatus
from tenants.routing import resolve_host, route_cache
from tenants.selectors import membership_get_active, organisation_status_now
from tenants.services import session_bound_schema

# Paths on a workspace host that do not need a membership.
OPEN_PATH_PREFIXES = (
    "/static/",
    "/health/",
    "/i18n/",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/password/reset/",
    "/accounts/2fa/authenticate/",
    "/invitations/",  # accepting an invitation (the token is the key)
)

STATUS_PAGES = {
    OrganisationStatus.PENDING: ("errors/workspace_pending.html", 503),
    OrganisationStatus.VERIFIED: ("errors/workspace_setting_up.html", 503),
    OrganisationStatus.PROVISIONING: ("errors/workspace_setting_up.html", 503),
    OrganisationStatus.FAILED: ("errors/workspace_setting_up.html", 503),
    OrganisationStatus.REJECTED: ("errors/workspace_rejected.html", 404),
    OrganisationStatus.SUSPENDED: ("errors/workspace_suspended.html", 403),
    OrganisationStatus.ARCHIVED: ("errors/workspace_archived.html", 410),
}


class OrganisationRoutingMiddleware:
    """Chooses the schema and URLconf from the Host header (first in the stack)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw_host = request.META.get("HTTP_HOST", "")
        hit, route = route_cache.get(raw_host)
        if hit and route is not None and route.organisation is not None:
            # a workspace remembered as closed is read afresh, so reopening counts at once
            # (closing counts at once through the membership check, which reads the status)
            hit = route.organisation.status == OrganisationStatus.ACTIVE
        if not hit:
            route = resolve_host(request.get_host(), fresh=True)  # validates ALLOWED_HOSTS
        if route is None:
            schema.activate_public()
            request.organisation = None
            return render(request, "errors/unknown_host.html", status=404)
        organisation = route.organisation
        request.organisation = organisation
        if organisation is None:
            schema.activate_public()
            request.tenant = None
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            return self.get_response(request)
        if organisation.status != OrganisationStatus.ACTIVE and not request.path.startswith(
            "/static/"
        ):
            schema.activate_public()
            template, status = STATUS_PAGES.get(
                organisation.status, ("errors/workspace_pending.html", 503)
            )
            if request.path.startswith("/api/"):  # programs get JSON, not a page (issue 14)
                state = organisation.get_status_display().lower()
                return JsonResponse({"detail": f"This workspace is {state}."}, status=status)
            return render(request, template, {"organisation": organisation}, status=status)
        schema.activate_workspace(organisation)
        request.tenant = organisation
        request.urlconf = settings.ROOT_URLCONF
        return self.get_response(request)


class WorkspaceAccessMiddleware:
    """After authentication: a session counts only on the host it was made on, and a
    workspace serves only its members."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        organisation = getattr(request, "organisation", None)
        request.membership = None
        if request.path.startswith(("/static/", "/health/")):
            return self.get_response(request)
        here = organisation.schema_name if organisation else "public"
        user = request.user
        token = getattr(request, "auth_token", None)  # API token: scoped to its organisation
        if user.is_authenticated and not token and session_bound_schema(request.session) != here:
            # A session cookie carried to another host is not a login there.
            request.user = user = AnonymousUser()
        if organisation is None:
            return self.get_response(request)
        if user.is_authenticated:
            request.membership = membership_get_active(user=user, organisation=organisation)
        if request.path.startswith(OPEN_PATH_PREFIXES):
            return self.get_response(request)
        is_api = request.path.startswith("/api/")
        if not user.is_authenticated:
            if is_api:
                return JsonResponse({"detail": "Authentication required"}, status=401)
            return redirect_to_login(request.get_full_path())
        if request.membership is None:
            closed = self._closed(request, organisation, is_api=is_api)
            if closed is not None:
                return closed
            if is_api:
                return JsonResponse({"detail": "Not a member of this organisation"}, status=403)
            return render(
                request, "errors/not_a_member.html", {"organisation": organisation}, status=403
            )
        return self.get_response(request)

    @staticmethod
    def _closed(request: HttpRequest, organisation, *, is_api: bool) -> HttpResponse | None:
        """When the membership check found nothing, the organisation may have been suspended,
        archived or deleted since this process cached its host: say so (and forget the
        cached host), as the routing would."""
        status = organisation_status_now(organisation)
        if status == OrganisationStatus.ACTIVE:
            return None
        route_cache.clear()
        schema.activate_public()
        if status is None:
            return render(request, "errors/unknown_host.html", status=404)
        template, code = STATUS_PAGES.get(status, ("errors/workspace_pending.html", 503))
        if is_api:
            return JsonResponse({"detail": f"This workspace is {status}."}, status=code)
        return render(request, template, {"organisation": organisation}, status=code)
