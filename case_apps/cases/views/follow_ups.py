"""Follow-ups on a case."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from case_apps.cases import confirmations, selectors, services
from case_apps.cases.forms import FollowUpDateForm, FollowUpForm
from case_apps.cases.models import CaseRecord
from case_apps.cases.views.common import case_form_view, on_case, record_removal_page
from case_apps.field.models import FormKind
from case_apps.field.services_staff import WAITING_MESSAGE, staff_form_submit
from tenants.actor import actor_from_request
from tenants.policy import Permission


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def follow_up_create(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    def save(data):
        return staff_form_submit(
            actor=actor_from_request(request),
            kind=FormKind.FOLLOW_UP,
            target=case,
            visit_date=data["date"],
            payload=data,
        )

    return case_form_view(
        request,
        case,
        FollowUpForm,
        "cases/follow_up_form.html",
        save,
        lambda submitted: (
            WAITING_MESSAGE
            if submitted.waiting
            else confirmations.follow_up_recorded(case, submitted.record)
        ),
    )


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def follow_up_date_correct(request: HttpRequest, case: CaseRecord, follow_up_id: int):
    """Correct a follow-up's date (its fact moves to the corrected date)."""
    actor = actor_from_request(request)
    follow_up = selectors.follow_up_get(actor=actor, case_id=case.pk, follow_up_id=follow_up_id)
    before = follow_up.date

    def save(data):
        return services.follow_up_date_correct(
            actor=actor, case=case, follow_up_id=follow_up.pk, date=data["date"]
        )

    return case_form_view(
        request,
        case,
        FollowUpDateForm,
        "cases/simple_form.html",
        save,
        lambda corrected: confirmations.follow_up_date_corrected(case, corrected, before),
        initial={"date": before},
    )


@on_case(Permission.SUPERVISE_CASES)
@require_http_methods(["GET", "POST"])
def follow_up_delete(request: HttpRequest, case: CaseRecord, follow_up_id: int):
    """Remove a follow-up recorded by mistake, with a reason (a supervisor's action)."""
    actor = actor_from_request(request)
    follow_up = selectors.follow_up_get(
        actor=actor,
        case_id=case.pk,
        follow_up_id=follow_up_id,
        permission=Permission.SUPERVISE_CASES,
    )
    return record_removal_page(
        request,
        case,
        confirmations.follow_up_described(follow_up),
        lambda reason: services.follow_up_delete(
            actor=actor, case=case, follow_up_id=follow_up.pk, reason=reason
        ),
    )
