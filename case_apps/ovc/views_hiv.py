"""HIV screens beyond the child's screening (issue 18 point 4): the facility registry's
search for the referral forms, the M&E lists (screen and CSV), caregivers' HIV status, the
HIV-exposed infant's test visits and final outcome."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from case_apps.ovc import selectors, selectors_hiv, services_care, services_hei
from case_apps.ovc.forms_hiv import CaregiverHivForm, HeiOutcomeForm, HeiTestForm, HivListFilterForm
from case_apps.ovc.panels_hiv import hiv_labels
from case_apps.ovc.views_common import actor, enrolment_form, form_view, ovc_permission
from cpims.spreadsheets import csv_lines
from tenants.policy import Permission

LIST_PAGE_SIZE = 200
LIST_TITLES = {
    selectors_hiv.SCREENED: gettext_lazy("Screened in the period"),
    selectors_hiv.AWAITING_TEST: gettext_lazy("Referred for testing, not yet tested"),
    selectors_hiv.TESTED: gettext_lazy("Tested, with the result"),
    selectors_hiv.LINKED: gettext_lazy("HIV+ linked to care"),
    selectors_hiv.HEI_DUE: gettext_lazy("HEI tests due"),
}
SCREENING_HEADER = [
    "Child",
    "CPIMS ID",
    "Household",
    "Screened on",
    "Test required",
    "Testing referral",
    "Referred on",
    "Testing facility",
    "Tested on",
    "Result",
    "ART referred on",
    "ART facility",
    "ART referral completed on",
]
HEI_HEADER = ["Child", "CPIMS ID", "Household", "Date of birth", "Test", "Due on", "State"]


def _day(value) -> str:
    return value.isoformat() if value else ""


def csv_rows(kind: str, rows, labels):
    """The list as a spreadsheet's rows: a header, then one row per screening or infant."""
    if kind == selectors_hiv.HEI_DUE:
        yield HEI_HEADER
        for row in rows:
            child = row.enrolment.child
            yield [
                child.full_name,
                child.cpims_id,
                row.enrolment.household.number,
                _day(child.date_of_birth),
                labels.of("hei_test", row.due.test),
                _day(row.due.due_on),
                row.due.state,
            ]
        return
    yield SCREENING_HEADER
    for s in rows.iterator(chunk_size=1000):
        child = s.enrolment.child
        yield [
            child.full_name,
            child.cpims_id,
            s.enrolment.household.number,
            _day(s.screened_on),
            "yes" if s.test_required else "no",
            labels.of("referral_state", s.referral_state),
            _day(s.referred_on),
            labels.of("facility", s.test_facility) if s.test_facility else "",
            _day(s.referral_completed_on),
            labels.of("hiv_status", s.test_result) if s.test_result else "",
            _day(s.art_referred_on),
            labels.of("facility", s.art_facility) if s.art_facility else "",
            _day(s.art_referral_completed_on),
        ]


@ovc_permission(Permission.RECORD_CASES)
@require_GET
def facility_search(request: HttpRequest) -> HttpResponse:
    """The registry's facilities matching what is typed, as a datalist's options (the
    picker sends its own field: the one value of the query)."""
    term = request.GET.get("q") or next(iter(request.GET.values()), "")
    return render(
        request,
        "ovc/_facility_options.html",
        {"facilities": selectors_hiv.facility_search(term)},
    )


@ovc_permission(Permission.VIEW_CASES)
@require_GET
def hiv_lists(request: HttpRequest) -> HttpResponse:
    """The M&E officer's lists, one at a time (``?list=``), with the period and a search;
    ``?format=csv`` downloads the list."""
    kind = request.GET.get("list") or selectors_hiv.SCREENED
    if kind not in selectors_hiv.HIV_LISTS:
        kind = selectors_hiv.SCREENED
    today = timezone.localdate()
    form = HivListFilterForm(request.GET or None)
    filters = form.filters(today)
    if kind == selectors_hiv.HEI_DUE:
        rows = selectors_hiv.hei_due_list(actor=actor(request), today=today, search=filters.search)
    else:
        rows = selectors_hiv.screening_list(actor=actor(request), kind=kind, filters=filters)
    labels = hiv_labels(rows if isinstance(rows, list) else rows[:LIST_PAGE_SIZE])
    if request.GET.get("format") == "csv":
        labels = hiv_labels(rows)
        selectors_hiv.hiv_list_export_logged(
            actor=actor(request), kind=kind, purpose=request.GET.urlencode(), request=request
        )
        response = StreamingHttpResponse(
            csv_lines(csv_rows(kind, rows, labels)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="ovc-hiv-{kind}.csv"'
        return response
    if not form.is_bound or not any(form.data.get(name) for name in form.fields):
        form = HivListFilterForm(
            initial={"period_from": filters.period_from, "period_to": filters.period_to}
        )
    return render(
        request,
        "ovc/hiv_lists.html",
        {
            "tab": "hiv",
            "kind": kind,
            "lists": LIST_TITLES,
            "form": form,
            "filters": filters,
            "rows": list(rows[:LIST_PAGE_SIZE]),
            "count": len(rows) if isinstance(rows, list) else rows.count(),
            "page_size": LIST_PAGE_SIZE,
            "labels": labels,
            "query": request.GET.urlencode(),
        },
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def caregiver_hiv_add(request: HttpRequest, household_id: int) -> HttpResponse:
    household = selectors.household_get(actor=actor(request), household_id=household_id)
    members = [
        (member.pk, f"{member.person.full_name}")
        for member in selectors_hiv.caregiver_statuses(household)
    ]
    initial = {"member": request.GET.get("member")}

    def save(data):
        services_care.caregiver_hiv_status_record(actor=actor(request), household=household, **data)

    return form_view(
        request,
        CaregiverHivForm(request.POST or None, members=members, initial=initial),
        "ovc/form.html",
        save,
        _("Caregiver's HIV status recorded (household %(household)s)."),
        reverse("ovc:household", args=[household.pk]),
        {"household": household, "title": _("Caregiver's HIV status")},
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def hei_test_add(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    def save(enrolment, data):
        services_hei.hei_test_record(actor=actor(request), enrolment=enrolment, **data)

    return enrolment_form(
        request,
        enrolment_id,
        HeiTestForm,
        save,
        _("HEI test"),
        _("HEI test of %(child)s recorded."),
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def hei_outcome_add(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    def save(enrolment, data):
        services_hei.hei_outcome_record(actor=actor(request), enrolment=enrolment, **data)

    return enrolment_form(
        request,
        enrolment_id,
        HeiOutcomeForm,
        save,
        _("HEI final outcome"),
        _("HEI final outcome of %(child)s recorded."),
    )
