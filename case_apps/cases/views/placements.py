"""Placements in care and their end."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from case_apps.cases import confirmations, selectors, services
from case_apps.cases.forms import PlacementForm
from case_apps.cases.models import CaseRecord
from case_apps.cases.views.common import case_form_view, on_case, record_removal_page
from tenants.actor import actor_from_request
from tenants.policy import Permission


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def placement_create(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    def save(data):
        return services.placement_record(case=case, actor=actor_from_request(request), **data)

    return case_form_view(
        request,
        case,
        PlacementForm,
        "cases/simple_form.html",
        save,
        lambda placement: confirmations.placement_recorded(case, placement),
    )


@on_case(Permission.RECORD_CASES)
@require_http_methods(["POST"])
def placement_discharge(request: HttpRequest, case: CaseRecord, placement_id: int) -> HttpResponse:
    placement = selectors.placement_get(
        actor=actor_from_request(request), case_id=case.pk, placement_id=placement_id
    )
    try:
        discharged_on = forms.DateField().clean(request.POST.get("discharged_on"))
        placement = services.placement_discharge(
            placement=placement,
            actor=actor_from_request(request),
            discharged_on=discharged_on,
            notes=request.POST.get("notes", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, confirmations.placement_discharged(case, placement))
    return redirect("cases:detail", case_id=case.pk)


@on_case(Permission.SUPERVISE_CASES)
@require_http_methods(["GET", "POST"])
def placement_delete(request: HttpRequest, case: CaseRecord, placement_id: int) -> HttpResponse:
    """Remove a placement recorded by mistake, with a reason (a supervisor's action)."""
    actor = actor_from_request(request)
    placement = selectors.placement_get(
        actor=actor,
        case_id=case.pk,
        placement_id=placement_id,
        permission=Permission.SUPERVISE_CASES,
    )
    return record_removal_page(
        request,
        case,
        confirmations.placement_described(placement),
        lambda reason: services.placement_delete(
            actor=actor, case=case, placement_id=placement.pk, reason=reason
        ),
    )
