"""HTTP API (django-ninja): one API for workspace hosts, one for the platform site."""

from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.security import django_auth

workspace_api = NinjaAPI(
    title="CPIMS workspace API",
    version="1",
    urls_namespace="workspace-api",
    auth=django_auth,
)
platform_api = NinjaAPI(title="CPIMS platform API", version="1", urls_namespace="platform-api")


workspace_api.add_router("/", "case_apps.cases.api.router")


workspace_api.add_router("/", "shared_registry.api.workspace_router")
platform_api.add_router("/", "shared_registry.api.platform_router")


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
