"""Household visit screen (issue 21): record a visit to a household (waiting for a
supervisor's approval when the organisation asks it: case_apps/field/services_staff.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from case_apps.field.models import FormKind
from case_apps.field.services_staff import staff_form_submit
from case_apps.ovc import selectors
from case_apps.ovc.forms_visits import HouseholdVisitForm
from case_apps.ovc.models import EnrolmentStatus
from case_apps.ovc.views_common import actor, form_view, ovc_permission
from tenants.policy import Permission


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def household_visit_add(request: HttpRequest, household_id: int) -> HttpResponse:
    household = selectors.household_get(actor=actor(request), household_id=household_id)
    children = household.enrolments.filter(status=EnrolmentStatus.ACTIVE).select_related("child")
    form = HouseholdVisitForm(
        request.POST or None,
        children=[(e.pk, e.child.full_name) for e in children],
        initial={"visited_on": timezone.localdate(), "outcome": "met"},
    )

    def save(data):
        return staff_form_submit(
            actor=actor(request),
            kind=FormKind.HOUSEHOLD_VISIT,
            target=household,
            visit_date=data["visited_on"],
            payload=data,
        )

    return form_view(
        request,
        form,
        "ovc/form.html",
        save,
        _("Household %(household)s: visit recorded."),
        reverse("ovc:household", args=[household.pk]) + "#visits",
        {"household": household, "title": _("Record a household visit")},
    )
