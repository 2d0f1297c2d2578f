"""HIV care screens of an enrolled child: HIV risk screening (with the live answer "HIV test
required") and its result, the ART referral's completion, HIV management visits."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from case_apps.field.models import FormKind
from case_apps.field.services_staff import staff_form_submit
from case_apps.ovc import selectors, selectors_hiv, services, services_care
from case_apps.ovc.forms import (
    HivVisitForm,
    ScreeningForm,
    ScreeningResultForm,
)
from case_apps.ovc.forms_hiv import ArtReferralForm
from case_apps.ovc.models import ReferralState
from case_apps.ovc.views_common import (
    actor,
    enrolment_form,
    form_view,
    ovc_permission,
)
from tenants.policy import Permission


def _required(data) -> bool | None:
    """What the service says of the answers so far (None before any is given)."""
    risks = [key for key in data.getlist("risks") if key in services_care.RISK_KEYS]
    status = data.get("status_known", "")
    if not risks and not status:
        return None
    return services_care.hiv_test_required(
        status_known=status,
        tested_last_6_months=bool(data.get("tested_last_6_months")),
        risks=risks,
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def screening_add(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = selectors.enrolment_get(actor=actor(request), enrolment_id=enrolment_id)

    def save(data):
        submitted = staff_form_submit(
            actor=actor(request),
            kind=FormKind.HIV_SCREENING,
            target=enrolment,
            visit_date=data["screened_on"],
            payload=data,
        )
        screening = submitted.record
        if screening is not None and screening.referral_state == ReferralState.NEEDED:
            messages.warning(request, _("A test is required: refer the child for testing."))
        return submitted

    return form_view(
        request,
        ScreeningForm(request.POST or None),
        "ovc/hiv_screening_form.html",
        save,
        _("HIV risk screening of %(child)s recorded."),
        reverse("ovc:enrolment", args=[enrolment.pk]),
        {
            "household": enrolment.household,
            "enrolment": enrolment,
            "title": _("HIV risk screening"),
            "hei_path": selectors_hiv.is_hei_path(enrolment),
            "test_required": _required(request.POST),
        },
    )


@ovc_permission(Permission.RECORD_CASES)
@require_POST
def screening_required(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """The form's live answer: is an HIV test required for the answers given so far?"""
    selectors.enrolment_get(actor=actor(request), enrolment_id=enrolment_id)
    return render(
        request, "ovc/_screening_required.html", {"test_required": _required(request.POST)}
    )


def _screening(request: HttpRequest, enrolment_id: int, screening_id: int):
    enrolment = selectors.enrolment_get(actor=actor(request), enrolment_id=enrolment_id)
    screening = enrolment.screenings.filter(pk=screening_id).first()
    if screening is None:
        raise Http404
    return screening


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def screening_result(request: HttpRequest, enrolment_id: int, screening_id: int) -> HttpResponse:
    screening = _screening(request, enrolment_id, screening_id)

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
def art_referral_complete(
    request: HttpRequest, enrolment_id: int, screening_id: int
) -> HttpResponse:
    screening = _screening(request, enrolment_id, screening_id)

    def save(_enrolment, data):
        services_care.hiv_art_referral_complete(actor=actor(request), screening=screening, **data)

    return enrolment_form(
        request,
        enrolment_id,
        ArtReferralForm,
        save,
        _("ART referral completed"),
        _("%(child)s is linked to ART."),
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
