"""Residents register screens (issue 19)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants.decorators import workspace_permission_required
from tenants.policy import Permission


@workspace_permission_required(Permission.VIEW_CASES)
def residents(request: HttpRequest) -> HttpResponse:
    return render(request, "institutions/residents.html", {"residents": []})
