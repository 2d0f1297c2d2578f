"""Court screens: a court session, a summons (issue, serve, honour, print), and the lists of
upcoming court dates, court orders in force and summons."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from case_apps.cases import selectors_court
from case_apps.cases.forms_court import (
    CourtFilterForm,
    CourtOrderEndForm,
    CourtSessionForm,
    SummonsForm,
    SummonsHonourForm,
    SummonsServeForm,
)
from case_apps.cases.models import CaseRecord
from case_apps.cases.presenters import case_labels
from case_apps.cases.services import court
from case_apps.cases.summons_pdf import LANGUAGES, summons_pdf, summons_reference
from case_apps.cases.views.common import case_form_view, on_case, refusals_as_pages
from tenants.actor import actor_from_request
from tenants.decorators import workspace_permission_required
from tenants.policy import Permission

FORM = "cases/simple_form.html"


def _day(value) -> str:
    return formats.date_format(value, "j M Y")


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def court_session_create(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    def save(data):
        order_code = data.pop("order_code")
        starts_on, ends_on = data.pop("order_starts_on"), data.pop("order_ends_on")
        orders = [court.CourtOrderInput(order_code, starts_on, ends_on)] if order_code else []
        return court.court_session_record(
            actor=actor_from_request(request), case=case, orders=orders, **data
        )

    return case_form_view(
        request,
        case,
        CourtSessionForm,
        FORM,
        save,
        lambda session: _("Court session of %(d)s recorded.") % {"d": _day(session.session_date)},
    )


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def court_order_end(request: HttpRequest, case: CaseRecord, order_id: int) -> HttpResponse:
    """Record the day an order ends (its expiry or revocation)."""
    actor = actor_from_request(request)
    order = selectors_court.court_order_get(actor=actor, case_id=case.pk, order_id=order_id)
    return case_form_view(
        request,
        case,
        CourtOrderEndForm,
        FORM,
        lambda data: court.court_order_end(
            actor=actor, case=case, order_id=order.pk, ends_on=data["ends_on"]
        ),
        lambda ended: _("The court order is in force until %(d)s.") % {"d": _day(ended.ends_on)},
        initial={"ends_on": order.ends_on},
    )


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def summons_create(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    return case_form_view(
        request,
        case,
        SummonsForm,
        FORM,
        lambda data: court.summons_issue(actor=actor_from_request(request), case=case, **data),
        lambda summons: (
            _("Summons to %(p)s issued; print it from the case's court panel.")
            % {"p": summons.person_name}
        ),
    )


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def summons_serve(request: HttpRequest, case: CaseRecord, summons_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    summons = selectors_court.summons_get(actor=actor, case_id=case.pk, summons_id=summons_id)
    return case_form_view(
        request,
        case,
        SummonsServeForm,
        FORM,
        lambda data: court.summons_serve(
            actor=actor, case=case, summons_id=summons.pk, served_on=data["served_on"]
        ),
        lambda served: (
            _("Summons to %(p)s served on %(d)s.")
            % {"p": served.person_name, "d": _day(served.served_on)}
        ),
    )


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def summons_honour(request: HttpRequest, case: CaseRecord, summons_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    summons = selectors_court.summons_get(actor=actor, case_id=case.pk, summons_id=summons_id)
    return case_form_view(
        request,
        case,
        SummonsHonourForm,
        FORM,
        lambda data: court.summons_honour(actor=actor, case=case, summons_id=summons.pk, **data),
        lambda done: (
            _("Summons to %(p)s: %(s)s.") % {"p": done.person_name, "s": done.status.label.lower()}
        ),
    )


@refusals_as_pages
@require_GET
def summons_print(request: HttpRequest, case_id: int, summons_id: int) -> HttpResponse:
    """The summons as a PDF, in the language asked (``?language=sw``) or the user's own; read
    as its case is."""
    summons = selectors_court.summons_document_read(
        actor=actor_from_request(request), case_id=case_id, summons_id=summons_id, request=request
    )
    own = getattr(request.user, "preferred_language", "") or request.LANGUAGE_CODE or "en"
    language = request.GET.get("language") or own[:2]
    language = language if language in LANGUAGES else "en"
    pdf = summons_pdf(summons, request.organisation, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = summons_reference(summons).replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="summons-{name}-{language}.pdf"'
    return response


def _filters(request: HttpRequest, form: CourtFilterForm) -> selectors_court.CourtFilters:
    filters = selectors_court.CourtFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors_court.CourtFilters(
            scope=data["scope"] or selectors_court.ORGANISATION,
            search=data["q"],
            court=data["court"],
            county=data["county"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            order_code=data["order_code"],
            status=data["status"],
        )
    if filters.scope == selectors_court.COUNTY and not filters.county:
        filters.county = request.organisation.county_code  # a county office's own county
    return filters


def _court_list(request: HttpRequest, selector, template: str) -> HttpResponse:
    form = CourtFilterForm(request.GET or None)
    filters = _filters(request, form)
    rows = selector(actor=actor_from_request(request), filters=filters)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filters": filters,
        "labels": case_labels(),
        "query": query,
    }
    return render(request, template, context)


@workspace_permission_required(Permission.VIEW_CASES)
@refusals_as_pages
def court_dates(request: HttpRequest) -> HttpResponse:
    """Upcoming court dates: mine, the organisation's, or a county's."""
    return _court_list(request, selectors_court.upcoming_court_dates, "cases/court_dates.html")


@workspace_permission_required(Permission.VIEW_CASES)
@refusals_as_pages
def court_orders(request: HttpRequest) -> HttpResponse:
    """Court orders in force today."""
    return _court_list(request, selectors_court.orders_in_force, "cases/court_orders.html")


@workspace_permission_required(Permission.VIEW_CASES)
@refusals_as_pages
def summons_list(request: HttpRequest) -> HttpResponse:
    """Summons by status."""
    return _court_list(request, selectors_court.summons_list, "cases/summons_list.html")
