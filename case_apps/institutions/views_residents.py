"""Residents register screens (issue 19): the register with its filters, places and
vacancies, its export; the places per sex and age band; the manager's morning lists."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from case_apps.cases.views.common import refusals_as_pages
from case_apps.family_care.selectors import certificates_expiring
from case_apps.institutions import exports_residents, selectors_residents, services_residents
from case_apps.institutions.forms_residents import CapacityForm, ResidentFilterForm
from case_apps.institutions.selectors_residents import age_in_years, days_to_exit
from cpims.db_router import lagging_reads, lagging_response
from cpims.pagination import BoundedPaginator
from tenants.actor import actor_from_request
from tenants.decorators import workspace_permission_required
from tenants.policy import Permission

PAGE_SIZE = 25


def _admission_link():
    """The admission page's link maker when the admission screens are installed, else the
    case page's (looked up once per page, not once per row)."""
    try:
        reverse("institutions:admission", args=[1])
    except NoReverseMatch:
        return lambda admission: reverse("cases:detail", args=[admission.case_id])
    return lambda admission: reverse("institutions:admission", args=[admission.pk])


def present_residents(admissions, today) -> list[dict]:
    """Each row as the register shows it: the age today and the days left (or over)."""
    rows = []
    link = _admission_link()
    for admission in admissions:
        days = days_to_exit(admission, today)
        rows.append(
            {
                "admission": admission,
                "url": link(admission),
                "child": admission.case.child,
                "age": age_in_years(admission.case.child, today),
                "days_left": days if days is not None and days >= 0 else None,
                "days_over": -days if days is not None and days < 0 else None,
            }
        )
    return rows


@workspace_permission_required(Permission.VIEW_CASES)
@refusals_as_pages
def residents(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    form = ResidentFilterForm(request.GET or None)
    filters = form.filters()
    export_format = request.GET.get("export")
    if export_format in exports_residents.FORMATS:
        with lagging_reads():  # an export may lag: from the read replica when there is one
            rows = selectors_residents.residents_export_read(
                actor=actor,
                filters=filters,
                export_format=export_format,
                purpose=request.GET.urlencode(),
                request=request,
            )
            response = exports_residents.residents_export(request, rows, export_format)
            return lagging_response(response)
    rows = selectors_residents.residents_open(actor=actor, filters=filters, request=request)
    page = BoundedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": present_residents(page, filters.today),
        "query": query,
    }
    if request.htmx:  # the filter bar asks for the rows only
        return render(request, "institutions/residents_rows.html", context)
    if page.number == 1 and not selectors_residents.filters_said(filters):
        # the places describe the whole institution: shown above the whole register (the
        # filter bar then swaps the rows only), a link back to it on a filtered address
        context["capacity"] = selectors_residents.capacity_table(actor=actor, today=filters.today)
    context["may_set_places"] = actor.may(Permission.SUPERVISE_CASES)
    return render(request, "institutions/residents.html", context)


@workspace_permission_required(Permission.SUPERVISE_CASES)
@refusals_as_pages
@require_http_methods(["GET", "POST"])
def capacity(request: HttpRequest) -> HttpResponse:
    """The places per sex and age band (supervisors and the organisation's administrator)."""
    actor = actor_from_request(request)
    table = selectors_residents.capacity_table(actor=actor)
    if request.method == "POST":
        form = CapacityForm(request.POST)
        if form.is_valid():
            try:
                changed = services_residents.capacity_set(actor=actor, places=form.places())
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(
                    request, _("Places saved (%(n)d groups changed).") % {"n": changed}
                )
                return redirect("institutions:residents")
    else:
        initial = {
            services_residents.capacity_key(row.sex, row.age_band): row.places for row in table.rows
        }
        form = CapacityForm(initial=initial)
    residents_by_field = {
        services_residents.capacity_key(row.sex, row.age_band): row.residents for row in table.rows
    }
    fields = [(form[name], residents_by_field.get(name, 0)) for name in form.fields]
    return render(
        request, "institutions/capacity.html", {"form": form, "fields": fields, "table": table}
    )


def _certificate_row(record) -> dict:
    """A family care record as the morning list shows it, whatever its model names."""
    case = getattr(record, "case", None)
    child = getattr(record, "child", None) or getattr(case, "child", None)
    kind = getattr(record, "get_care_type_display", None)
    try:
        url = reverse("family_care:care", args=[record.pk]) if record.pk else ""
    except (NoReverseMatch, AttributeError):
        url = ""
    return {
        "child": getattr(child, "full_name", "") or str(child or ""),
        "type": kind() if callable(kind) else getattr(record, "care_type", ""),
        "certificate": getattr(record, "certificate_number", ""),
        "expiry": getattr(record, "certificate_expires_on", None)
        or getattr(record, "certificate_expiry", None),
        "url": url,
    }


@workspace_permission_required(Permission.VIEW_CASES)
@refusals_as_pages
def today(request: HttpRequest) -> HttpResponse:
    """The institution manager's morning: residents, due for discharge, overstays, places,
    residents' court dates and expiring foster certificates."""
    actor = actor_from_request(request)
    selectors_residents.morning_lists_logged(actor=actor, request=request)
    day = timezone.localdate()
    due = selectors_residents.ResidentFilters(when=selectors_residents.DUE, today=day)
    over = selectors_residents.ResidentFilters(when=selectors_residents.OVERSTAY, today=day)
    return render(
        request,
        "institutions/today.html",
        {
            "counts": selectors_residents.morning_counts(day),
            "due": present_residents(
                selectors_residents.residents(actor=actor, filters=due)[:10], day
            ),
            "overstays": present_residents(
                selectors_residents.residents(actor=actor, filters=over)[:10], day
            ),
            "capacity": selectors_residents.capacity_table(actor=actor, today=day),
            "court_dates": selectors_residents.residents_court_dates(actor=actor, today=day)[:10],
            "certificates": [_certificate_row(r) for r in certificates_expiring(limit=10)],
        },
    )


def residents_waiting(request: HttpRequest) -> list:
    """A member's home: residents due for discharge within 30 days and those past their
    expected exit (the institution's figures)."""
    from django.utils.translation import ngettext

    from case_apps.institutions.capabilities import INSTITUTION_KINDS
    from tenants.capabilities import waiting_count

    organisation = getattr(request, "organisation", None)
    if organisation is None or organisation.kind not in INSTITUTION_KINDS:
        return []
    counts = selectors_residents.morning_counts()
    url = reverse("institutions:residents")
    due = ngettext(
        "%(n)s resident is due for discharge within 30 days",
        "%(n)s residents are due for discharge within 30 days",
        counts.due,
    )
    over = ngettext(
        "%(n)s resident is past the expected exit",
        "%(n)s residents are past the expected exit",
        counts.overstays,
    )
    return waiting_count(counts.due, due, f"{url}?when=due") + waiting_count(
        counts.overstays, over, f"{url}?when=overstay"
    )
