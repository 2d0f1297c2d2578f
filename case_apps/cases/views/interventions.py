"""Screens: interventions on a case (record, remove) and asking to reopen a closed case."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from case_apps.cases import confirmations, selectors_interventions
from case_apps.cases.forms import InterventionForm, ReopeningRequestForm
from case_apps.cases.models import CaseRecord, CaseStatus
from case_apps.cases.presenters import case_labels
from case_apps.cases.selectors import actor_may_on_case
from case_apps.cases.services.interventions import intervention_delete, intervention_record
from case_apps.cases.services.reopening import reopening_request
from case_apps.cases.views.common import case_form_view, on_case, record_removal_page
from tenants.actor import Actor, actor_from_request
from tenants.policy import Permission


def interventions_panel(actor: Actor, case: CaseRecord) -> dict:
    """The case page's interventions panel and its actions (cases/_panel_interventions.html,
    cases/_actions_interventions.html)."""
    may_record = actor_may_on_case(actor, Permission.RECORD_CASES, case)
    return {
        "intervention_groups": selectors_interventions.case_interventions(case),
        "may_remove_interventions": case.is_open
        and actor_may_on_case(actor, Permission.SUPERVISE_CASES, case),
        "may_request_reopening": may_record
        and case.status == CaseStatus.CLOSED
        and selectors_interventions.reopening_pending(case) is None,
    }


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def intervention_create(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    def save(data):
        return intervention_record(case=case, actor=actor_from_request(request), **data)

    return case_form_view(
        request,
        case,
        InterventionForm,
        "cases/simple_form.html",
        save,
        lambda saved: confirmations.intervention_recorded(case, saved),
        categories=selectors_interventions.case_categories(case),
        labels=case_labels(),
    )


@on_case(Permission.SUPERVISE_CASES)
@require_http_methods(["GET", "POST"])
def intervention_remove(request: HttpRequest, case: CaseRecord, intervention_id: int):
    """Remove an intervention recorded by mistake, with a reason (a supervisor's action)."""
    actor = actor_from_request(request)
    intervention = selectors_interventions.intervention_get(
        actor=actor, case_id=case.pk, intervention_id=intervention_id
    )
    return record_removal_page(
        request,
        case,
        confirmations.intervention_described(intervention),
        lambda reason: intervention_delete(
            actor=actor, case=case, intervention_id=intervention.pk, reason=reason
        ),
    )


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def reopening_request_create(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    def save(data):
        return reopening_request(case=case, actor=actor_from_request(request), **data)

    return case_form_view(
        request,
        case,
        ReopeningRequestForm,
        "cases/simple_form.html",
        save,
        lambda _saved: confirmations.reopening_requested(case),
    )
