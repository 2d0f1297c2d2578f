"""HTTP API (django-ninja): one API for workspace hosts, one for the platform site."""

from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.security import django_auth  # noqa: F401

from audit.api import TOKEN_OR_SESSION
from audit.api import router as audit_router
from tenants.api_errors import install_error_handlers

workspace_api = NinjaAPI(
    title="CPIMS workspace API",
    version="1",
    urls_namespace="workspace-api",
    auth=TOKEN_OR_SESSION,  # a personal access token, or the session with CSRF (issue 7)
)
workspace_api.add_router("/audit/", audit_router)
platform_api = NinjaAPI(title="CPIMS platform API", version="1", urls_namespace="platform-api")
install_error_handlers(workspace_api)  # one shape for bad input (tenants/api_errors.py)
install_error_handlers(platform_api)


workspace_api.add_router("/", "case_apps.cases.api.router")
workspace_api.add_router("/", "sharing.api.router")
workspace_api.add_router("/", "case_apps.cases.api_referrals.router")
workspace_api.add_router("/", "case_apps.outbox.api.router")


workspace_api.add_router("/", "shared_registry.api.workspace_router")
platform_api.add_router("/", "shared_registry.api.platform_router")
platform_api.add_router("/", "sharing.api.platform_router")
workspace_api.add_router("/", "national_statistics.api.workspace_router")
platform_api.add_router("/", "national_statistics.api.platform_router")
workspace_api.add_router("/", "shared_registry.api_places.workspace_places_router")
platform_api.add_router("/", "shared_registry.api_places.platform_places_router")


class MembershipOut(Schema):
    organisation: str
    organisation_slug: str
    email: str
    roles: list[str]


@workspace_api.get("/me", response=MembershipOut, summary="Who am I in this organisation")
def me(request: HttpRequest):
    membership = request.membership  # the door middleware admits members only
    return {
        "organisation": request.organisation.name,
        "organisation_slug": request.organisation.slug,
        "email": request.user.email,
        "roles": membership.roles,
    }


class HealthOut(Schema):
    status: str


@platform_api.get("/health", response=HealthOut, summary="Liveness")
def api_health(request: HttpRequest):
    return {"status": "ok"}
