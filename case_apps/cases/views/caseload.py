"""The caseload, the case page and the child's page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from case_apps.cases import exports, selectors, selectors_bursaries
from case_apps.cases.forms_lists import CaseFilterForm
from case_apps.cases.models import CaseRecord
from case_apps.cases.presenters import case_labels, present_caseload, present_timelines
from case_apps.cases.views import bursaries
from case_apps.cases.views.common import caseload_officers, refusals_as_pages
from case_apps.cases.views.interventions import interventions_panel
from cpims.db_router import lagging_reads, lagging_response
from cpims.pagination import BoundedPaginator
from tenants.actor import actor_from_request
from tenants.decorators import workspace_permission_required
from tenants.policy import Permission

# A search matching more cases than this says "more than 500: narrow them" instead of
# counting every match (a common surname matches thousands in a large organisation).
SEARCH_COUNT_CAP = 500


@workspace_permission_required(Permission.VIEW_CASES)
def caseload(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None, officers=caseload_officers(request))
    filters = form.filters()
    actor = actor_from_request(request)
    export_format = request.GET.get("export")
    if export_format in exports.FORMATS:
        with lagging_reads():  # an export may lag: from the read replica when there is one
            cases = selectors.caseload_export_read(
                actor=actor,
                filters=filters,
                export_format=export_format,
                purpose=request.GET.urlencode(),
                request=request,
            )
            return lagging_response(exports.caseload_export(request, cases, export_format))
    cases = selectors.caseload(actor=actor, filters=filters)
    cap = SEARCH_COUNT_CAP if filters.search else None
    page = BoundedPaginator(cases, 25, cap=cap).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": present_caseload(selectors.caseload_rows(page.object_list), case_labels()),
        "query": request.GET.copy(),
    }
    context["query"].pop("page", None)
    template = "cases/_caseload_rows.html" if request.htmx else "cases/caseload.html"
    return render(request, template, context)


@refusals_as_pages
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    case = selectors.case_read(actor=actor, case_id=case_id, purpose="case page", request=request)
    may_record = selectors.actor_may_on_case(actor, Permission.RECORD_CASES, case)
    may_supervise = selectors.actor_may_on_case(actor, Permission.SUPERVISE_CASES, case)
    labels = case_labels()
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "labels": labels,
            "timeline": present_timelines(
                [case], labels, also_reads=selectors_bursaries.BURSARY_READS
            ),
            "may_record": may_record and case.is_open,
            "may_reassign": may_supervise and case.is_open,
            **bursaries.case_page_bursaries(request, case, may_record=may_record and case.is_open),
            "categories": case.categories.all(),
            "perpetrators": case.perpetrators.all(),
            **sharing_panel(request, case, may_record=may_record),
            **interventions_panel(actor, case),
        },
    )


def sharing_panel(request: HttpRequest, case: CaseRecord, *, may_record: bool) -> dict:
    """The case page's consent records and referrals to other organisations (issue 6)."""
    from sharing import selectors as sharing_selectors
    from sharing.views import scope_rows

    consents = sharing_selectors.consents_of_person(
        organisation=request.organisation, person_id=case.child_id
    )
    for consent in (c for versions in consents for c in versions):
        consent.scope_rows = scope_rows(consent)  # record kinds and field labels, in words
    return {
        "consents": consents,
        "org_referrals": sharing_selectors.referrals_of_case(
            organisation=request.organisation, case_id=case.pk
        ),
        "may_record_consent": may_record,
        "may_refer": case.is_open
        and selectors.actor_may_on_case(
            actor_from_request(request), Permission.SEND_REFERRALS, case
        ),
    }


@workspace_permission_required(Permission.VIEW_CASES)
def child_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    cases = selectors.child_cases_read(
        actor=actor_from_request(request),
        person_id=person_id,
        purpose="child page",
        request=request,
    )
    labels = case_labels()
    return render(
        request,
        "cases/child_detail.html",
        {
            "child": cases[0].child,
            "cases": cases,
            "labels": labels,
            "timeline": present_timelines(
                cases, labels, also_reads=selectors_bursaries.BURSARY_READS
            ),
            "bursary_record": selectors_bursaries.cases_bursaries(cases),
        },
    )
