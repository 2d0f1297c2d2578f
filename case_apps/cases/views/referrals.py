"""Referrals on the case record sheet and their outcome."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from case_apps.cases import confirmations, selectors
from case_apps.cases.forms import ReferralForm, ReferralOutcomeForm
from case_apps.cases.models import CaseRecord
from case_apps.cases.services.referrals import (
    referral_complete,
    referral_record,
)
from case_apps.cases.services.referrals import (
    referral_delete as referral_remove,
)
from case_apps.cases.views.common import case_form_view, on_case, record_removal_page
from tenants.actor import actor_from_request
from tenants.policy import Permission


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    def save(data):
        return referral_record(
            case=case,
            actor=actor_from_request(request),
            actor_type=data.pop("actor"),
            **data,
        )

    return case_form_view(
        request,
        case,
        ReferralForm,
        "cases/referral_form.html",
        save,
        lambda referral: confirmations.referral_recorded(case, referral),
    )


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def referral_outcome(request: HttpRequest, case: CaseRecord, referral_id: int) -> HttpResponse:
    referral = selectors.referral_get(
        actor=actor_from_request(request), case_id=case.pk, referral_id=referral_id
    )

    def save(data):
        return referral_complete(referral=referral, actor=actor_from_request(request), **data)

    return case_form_view(
        request,
        case,
        ReferralOutcomeForm,
        "cases/simple_form.html",
        save,
        lambda done: confirmations.referral_outcome_recorded(case, done),
    )


@on_case(Permission.SUPERVISE_CASES)
@require_http_methods(["GET", "POST"])
def referral_delete(request: HttpRequest, case: CaseRecord, referral_id: int) -> HttpResponse:
    """Remove a referral of the case record sheet recorded by mistake, with a reason."""
    actor = actor_from_request(request)
    referral = selectors.referral_get(
        actor=actor, case_id=case.pk, referral_id=referral_id, permission=Permission.SUPERVISE_CASES
    )
    return record_removal_page(
        request,
        case,
        confirmations.referral_described(referral),
        lambda reason: referral_remove(
            actor=actor, case=case, referral_id=referral.pk, reason=reason
        ),
    )
