"""Household screens: the list (the actor's caseload), registry search, registration,
the household page, members."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from case_apps.cases.forms_child import TooManyLookups, person_from_search, too_many_lookups
from case_apps.ovc import exports_children, panels, selectors, selectors_lists, services
from case_apps.ovc.forms import (
    CaregiversForm,
    HouseholdAssignForm,
    HouseholdForm,
    MemberForm,
    PersonSearchForm,
)
from case_apps.ovc.forms_lists import ChildFilterForm, HouseholdFilterForm
from case_apps.ovc.views_common import (
    actor,
    form_view,
    labels,
    ovc_permission,
    person_or_find,
)
from cpims.db_router import lagging_reads, lagging_response
from cpims.form_errors import apply_errors
from tenants.policy import Permission


@ovc_permission(Permission.VIEW_CASES)
def household_list(request: HttpRequest) -> HttpResponse:
    the_actor = actor(request)
    form = HouseholdFilterForm(
        request.GET or None, officers=selectors.officer_choices(actor=the_actor)
    )
    households = selectors_lists.households_list(actor=the_actor, filters=form.filters())
    page = Paginator(households, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ovc/household_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "may_record": the_actor.may(Permission.RECORD_CASES),
        },
    )


@ovc_permission(Permission.VIEW_CASES)
def children_list(request: HttpRequest) -> HttpResponse:
    """The children enrolled in the households the officer sees, searched and filtered;
    ``?export=csv|xlsx`` downloads the filtered list."""
    form = ChildFilterForm(request.GET or None)
    export_format = request.GET.get("export")
    if export_format in exports_children.FORMATS:
        with lagging_reads():  # an export may lag: from the read replica when there is one
            query = request.GET.copy()
            query.pop("export", None)
            rows = selectors_lists.children_export_read(
                actor=actor(request),
                filters=form.filters(),
                export_format=export_format,
                purpose=query.urlencode(),
                request=request,
            )
            return lagging_response(exports_children.children_export(request, rows, export_format))
    children = selectors_lists.children_list(actor=actor(request), filters=form.filters())
    page = Paginator(children, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query, "labels": labels()}
    return render(request, "ovc/children_list.html", context)


PERSON_PURPOSES = {"household", "member", "enrol"}


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def find_person(request: HttpRequest) -> HttpResponse:
    """Search the national registry before registering the caregiver, a member or a child;
    link to a known person or confirm a new one, then go on to the OVC form."""
    purpose = request.GET.get("for", "household")
    if purpose not in PERSON_PURPOSES:
        raise Http404
    household = None
    if purpose != "household":
        household = selectors.household_get(
            actor=actor(request), household_id=request.GET.get("household")
        )
    targets = {
        "household": lambda: reverse("ovc:household_create"),
        "member": lambda: reverse("ovc:member_add", args=[household.pk]),
        "enrol": lambda: reverse("ovc:enrol", args=[household.pk]),
    }
    form = PersonSearchForm(request.POST or None)
    candidates = None
    if request.method == "POST" and form.is_valid():
        try:
            person, candidates = person_from_search(request, form)
        except TooManyLookups:
            return too_many_lookups(request)
        if person is not None:
            return redirect(f"{targets[purpose]()}?person={person.pk}")
    return render(
        request,
        "ovc/find_person.html",
        {
            "form": form,
            "candidates": candidates,
            "purpose": purpose,
            "household": household,
            "target": targets[purpose](),
        },
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    head, go_find = person_or_find(request, "household")
    if go_find:
        return go_find
    organisation = request.organisation
    form = HouseholdForm(
        request.POST or None,
        initial={
            "county_code": organisation.county_code,
            "sub_county_code": organisation.sub_county_code,
        },
    )
    result = {}

    def save(data):
        result["household"] = services.household_register(
            actor=actor(request),
            head=head,
            head_relation=data["head_member_type"],
            head_hiv_status=data["head_hiv_status"],
            village=data["village"],
            ward_code=data["ward_code"],
            county_code=data["county_code"],
            sub_county_code=data["sub_county_code"],
        )

    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Household %(household)s registered, headed by %(person)s.")
                % {"household": result["household"].number, "person": head.full_name},
            )
            return redirect("ovc:household", household_id=result["household"].pk)
    return render(
        request,
        "ovc/form.html",
        {"form": form, "title": _("Register a household"), "person": head},
    )


@ovc_permission(Permission.VIEW_CASES)
def household_detail(request: HttpRequest, household_id: int) -> HttpResponse:
    household = selectors.household_open(
        actor=actor(request), household_id=household_id, request=request
    )
    cpara = selectors.cpara_latest(household=household)
    return render(
        request,
        "ovc/household_detail.html",
        {
            "household": household,
            "members": selectors.household_members(household=household),
            "enrolments": household.enrolments.select_related("child"),
            "cpara": cpara,
            "cparas": household.cparas.all()[:10],
            "plan_items": household.plan_items.select_related("enrolment__child"),
            "wellbeing": household.wellbeing_assessments.select_related("enrolment__child")[:10],
            "labels": labels(),
            "may_record": actor(request).may(Permission.RECORD_CASES),
            "may_assign": actor(request).may(Permission.SUPERVISE_CASES),
            **panels.household_context(actor(request), household),
        },
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, household_id: int) -> HttpResponse:
    household = selectors.household_get(actor=actor(request), household_id=household_id)
    person, go_find = person_or_find(request, "member", household)
    if go_find:
        return go_find

    def save(data):
        services.household_member_add(
            actor=actor(request),
            household=household,
            member=services.MemberInput(person=person, **data),
        )

    return form_view(
        request,
        MemberForm(
            request.POST or None, caregivers=selectors.caregiver_choices(household=household)
        ),
        "ovc/form.html",
        save,
        _("%(person)s added to household %(household)s."),
        reverse("ovc:household", args=[household.pk]),
        {"household": household, "person": person, "title": _("Add a household member")},
    )


@ovc_permission(Permission.SUPERVISE_CASES)
@require_http_methods(["GET", "POST"])
def household_assign(request: HttpRequest, household_id: int) -> HttpResponse:
    """Supervisors and admins give a household to the officer who will follow it."""
    household = selectors.household_get(actor=actor(request), household_id=household_id)

    def save(data):
        services.household_assign(
            actor=actor(request), household=household, officer_id=data["officer"]
        )

    return form_view(
        request,
        HouseholdAssignForm(
            request.POST or None,
            officers=selectors.officer_choices(actor=actor(request)),
            initial={"officer": household.assigned_officer_id},
        ),
        "ovc/form.html",
        save,
        _("Household %(household)s assigned."),
        reverse("ovc:household", args=[household.pk]),
        {"household": household, "title": _("Assign the household")},
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def member_caregivers(request: HttpRequest, household_id: int, member_id: int) -> HttpResponse:
    """Say who in the household cares for one of its children."""
    household = selectors.household_get(actor=actor(request), household_id=household_id)
    member = selectors.household_child_member(household=household, member_id=member_id)

    def save(data):
        services.member_caregivers_set(
            actor=actor(request),
            household=household,
            member_id=member.pk,
            caregiver_ids=data["caregiver_ids"],
        )

    return form_view(
        request,
        CaregiversForm(
            request.POST or None,
            caregivers=selectors.caregiver_choices(household=household),
            initial={"caregiver_ids": [c.pk for c in member.caregivers.all()]},
        ),
        "ovc/form.html",
        save,
        _("Caregivers of %(person)s saved."),
        reverse("ovc:household", args=[household.pk]),
        {"household": household, "person": member.person, "title": _("Who cares for this child")},
    )
