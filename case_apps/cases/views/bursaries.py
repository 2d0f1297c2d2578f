"""Education bursaries."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from case_apps.cases import confirmations, services
from case_apps.cases.forms import BursaryForm
from case_apps.cases.models import CaseRecord
from case_apps.cases.views.common import case_form_view, on_case
from tenants.actor import actor_from_request
from tenants.policy import Permission


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def bursary_create(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    def save(data):
        return services.bursary_award_record(case=case, actor=actor_from_request(request), **data)

    return case_form_view(
        request,
        case,
        BursaryForm,
        "cases/simple_form.html",
        save,
        lambda award: confirmations.bursary_recorded(case, award),
    )
