"""Alternative family care screens (issue 19)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants.decorators import workspace_permission_required
from tenants.policy import Permission


@workspace_permission_required(Permission.VIEW_CASES)
def care_list(request: HttpRequest) -> HttpResponse:
    return render(request, "family_care/list.html", {"records": []})
