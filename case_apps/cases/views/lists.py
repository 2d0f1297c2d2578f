"""The approvals queue and the referrals-in inbox with their search and filters (issue 17):
thin pages over ``case_apps/cases/selectors_lists.py``; the filter bar refreshes the rows
as the officer types (htmx), and the page links keep the filters."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from case_apps.cases import selectors_lists
from case_apps.cases.forms_lists import ApprovalFilterForm, ReferralInFilterForm
from case_apps.cases.presenters import case_labels
from sharing import selectors as sharing_selectors
from tenants.actor import actor_from_request


def _query_without_page(request: HttpRequest):
    query = request.GET.copy()
    query.pop("page", None)
    return query


def approvals_page(request: HttpRequest) -> HttpResponse:
    """The supervisor's queue, searched and filtered."""
    actor = actor_from_request(request)
    form = ApprovalFilterForm(
        request.GET or None, officers=selectors_lists.approval_requesters(actor=actor)
    )
    waiting = selectors_lists.approvals_list(actor=actor, filters=form.filters())
    page = Paginator(waiting, 50).get_page(request.GET.get("page"))
    context = {
        "approvals": page,
        "page": page,
        "form": form,
        "query": _query_without_page(request),
        "labels": case_labels(),
    }
    return render(request, "cases/approvals.html", context)


def referrals_in_page(request: HttpRequest) -> HttpResponse:
    """The receiver's inbox of referrals and transfers, searched and filtered."""
    organisation = request.organisation
    form = ReferralInFilterForm(
        request.GET or None,
        senders=selectors_lists.referral_senders(organisation=organisation),
    )
    filters = form.filters()
    rows = selectors_lists.referrals_in_list(organisation=organisation, filters=filters)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "filters": filters,
        "filtered": filters != selectors_lists.ReferralInFilters(),
        "query": _query_without_page(request),
        "waiting": sharing_selectors.referrals_waiting(organisation=organisation),
    }
    return render(request, "cases/referrals_in.html", context)
