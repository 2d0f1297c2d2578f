"""Enrolment screens: enrol a child, the child's page, correct the enrolment."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from case_apps.ovc import panels, selectors, services
from case_apps.ovc.forms import EnrolForm, EnrolmentForm
from case_apps.ovc.models import ReferralState
from case_apps.ovc.views_common import (
    actor,
    form_view,
    labels,
    ovc_permission,
    person_or_find,
)
from tenants.policy import Permission


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, household_id: int) -> HttpResponse:
    household = selectors.household_get(actor=actor(request), household_id=household_id)
    child, go_find = person_or_find(request, "enrol", household)
    if go_find:
        return go_find

    def save(data):
        services.child_enrol(
            actor=actor(request),
            household=household,
            child=child,
            **data,
        )

    return form_view(
        request,
        EnrolForm(
            request.POST or None,
            initial={"registration_date": timezone.localdate()},
            caregivers=selectors.caregiver_choices(household=household),
        ),
        "ovc/form.html",
        save,
        _("%(person)s enrolled in the programme (household %(household)s)."),
        reverse("ovc:household", args=[household.pk]),
        {"household": household, "person": child, "title": _("Enrol a child")},
    )


@ovc_permission(Permission.VIEW_CASES)
def enrolment_detail(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = selectors.enrolment_open(
        actor=actor(request), enrolment_id=enrolment_id, request=request
    )
    today = timezone.localdate()
    visits = [
        (v, services.virally_suppressed(v.viral_load, v.viral_load_date, today))
        for v in enrolment.hiv_visits.all()
    ]
    return render(
        request,
        "ovc/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "household": enrolment.household,
            "relations": selectors.child_relations(enrolment=enrolment),
            "services": enrolment.services.all(),
            "screenings": enrolment.screenings.all(),
            "visits": visits,
            "labels": labels(),
            "needs_result": (ReferralState.NEEDED, ReferralState.REFERRED),
            "may_record": enrolment.is_active and actor(request).may(Permission.RECORD_CASES),
            **panels.enrolment_context(actor(request), enrolment),
        },
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def enrolment_edit(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = selectors.enrolment_get(actor=actor(request), enrolment_id=enrolment_id)
    initial = {name: getattr(enrolment, name) for name in services.ENROLMENT_EDITABLE}

    def save(data):
        services.enrolment_update(
            actor=actor(request),
            enrolment=enrolment,
            **data,
        )

    return form_view(
        request,
        EnrolmentForm(request.POST or None, initial=initial),
        "ovc/form.html",
        save,
        _("Enrolment of %(child)s updated."),
        reverse("ovc:enrolment", args=[enrolment.pk]),
        {
            "household": enrolment.household,
            "enrolment": enrolment,
            "person": enrolment.child,
            "title": _("Edit the enrolment"),
        },
    )
