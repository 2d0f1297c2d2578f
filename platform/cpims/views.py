"""Pages of the platform site and the workspace home."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from tenants.selectors import memberships_of_user


def health(request: HttpRequest) -> JsonResponse:
    """Liveness probe: answers without touching the database."""
    return JsonResponse({"status": "ok"})


def platform_home(request: HttpRequest) -> HttpResponse:
    memberships = []
    if request.user.is_authenticated:
        memberships = list(memberships_of_user(user=request.user))
    return render(request, "cpims/platform_home.html", {"memberships": memberships})


def workspace_home(request: HttpRequest) -> HttpResponse:
    return render(request, "cpims/workspace_home.html")
