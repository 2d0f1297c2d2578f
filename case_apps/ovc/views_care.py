"""HIV care screens of an enrolled child: HIV risk screening and its result, HIV management
visits."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from case_apps.ovc import selectors, services
from case_apps.ovc.forms import (
    HivVisitForm,
    ScreeningForm,
    ScreeningResultForm,
)
from case_apps.ovc.models import ReferralState
from case_apps.ovc.views_common import (
    actor,
    enrolment_form,
    ovc_permission,
)
from tenants.policy import Permission


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def screening_add(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    def save(enrolment, data):
        screening = services.hiv_screening_record(actor=actor(request), enrolment=enrolment, **data)
        if screening.referral_state == ReferralState.NEEDED:
            messages.warning(request, _("A test is required: refer the child for testing."))

    return enrolment_form(
        request,
        enrolment_id,
        ScreeningForm,
        save,
        _("HIV risk screening"),
        _("HIV risk screening of %(child)s recorded."),
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def screening_result(request: HttpRequest, enrolment_id: int, screening_id: int) -> HttpResponse:
    enrolment = selectors.enrolment_get(actor=actor(request), enrolment_id=enrolment_id)
    screening = enrolment.screenings.filter(pk=screening_id).first()
    if screening is None:
        raise Http404

    def save(_enrolment, data):
        services.hiv_referral_result_record(actor=actor(request), screening=screening, **data)

    return enrolment_form(
        request,
        enrolment_id,
        ScreeningResultForm,
        save,
        _("Testing referral and result"),
        _("Testing result of %(child)s recorded."),
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def hiv_visit_add(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    def save(enrolment, data):
        services.hiv_management_visit_record(actor=actor(request), enrolment=enrolment, **data)

    return enrolment_form(
        request,
        enrolment_id,
        HivVisitForm,
        save,
        _("HIV management follow-up"),
        _("HIV management visit of %(child)s recorded."),
    )
