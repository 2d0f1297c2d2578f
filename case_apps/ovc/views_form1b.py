"""Form 1B screen: record a service delivered to a caregiver of the household."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from case_apps.field.models import FormKind
from case_apps.field.services_staff import staff_form_submit
from case_apps.ovc import selectors
from case_apps.ovc.forms_form1b import CaregiverServiceForm
from case_apps.ovc.forms_plans import typed_so_far
from case_apps.ovc.views_common import actor, form_view, ovc_permission
from tenants.policy import Permission


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def caregiver_service_add(request: HttpRequest, household_id: int) -> HttpResponse:
    household = selectors.household_get(actor=actor(request), household_id=household_id)

    def save(data):
        return staff_form_submit(
            actor=actor(request),
            kind=FormKind.FORM1B,
            target=household,
            visit_date=data["date"],
            payload=data,
        )

    query = request.POST or request.GET
    form = CaregiverServiceForm(
        request.POST or None,
        caregivers=selectors.caregiver_choices(household=household),
        domain=query.get("domain"),
        url=request.path,
        initial=typed_so_far(request.GET),
    )
    return form_view(
        request,
        form,
        "ovc/form.html",
        save,
        _("Household %(household)s: caregiver service recorded."),
        reverse("ovc:household", args=[household.pk]) + "#caregiver-services",
        {"household": household, "title": _("Record a caregiver service (Form 1B)")},
    )
