"""Alternative family care screens (issue 19): the list, a care record with its carers and
follow-ups, and the forms to record care on a case, add a carer (found in the registry or
registered), record a follow-up and end the care."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from case_apps.cases import selectors as case_selectors
from case_apps.cases.forms_child import TooManyLookups, person_from_search, too_many_lookups
from case_apps.cases.presenters import case_labels
from case_apps.cases.views.common import refusals_as_pages
from case_apps.family_care import selectors, services
from case_apps.family_care.capabilities import FAMILY_CARE_KINDS
from case_apps.family_care.forms import (
    CareEndForm,
    CareFilterForm,
    CareForm,
    CarerRelationshipForm,
    FollowUpForm,
    PersonSearchForm,
)
from case_apps.registry_person import registry_person_read
from cpims.form_errors import apply_errors
from tenants.actor import actor_from_request
from tenants.decorators import workspace_permission_required
from tenants.policy import Permission, may

FORM = "family_care/form.html"


def family_care_permission(permission: Permission):
    """Only in the workspaces family care serves (404 elsewhere), then the workspace
    permission; a service's refusal answered with the forbidden page."""

    def decorator(view):
        guarded = workspace_permission_required(permission)(refusals_as_pages(view))

        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            organisation = getattr(request, "organisation", None)
            if organisation is None or organisation.kind not in FAMILY_CARE_KINDS:
                raise Http404
            return guarded(request, *args, **kwargs)

        return wrapped

    return decorator


def _may_record(request: HttpRequest) -> bool:
    return may(
        request.user,
        Permission.RECORD_CASES,
        organisation=request.organisation,
        membership=request.membership,
    )


def form_page(request, form, save, success, target, context: dict) -> HttpResponse:
    """POST: ``save(cleaned_data)``, say ``success(saved)`` and go to ``target(saved)``; on a
    refusal keep what was typed."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success(saved))
            return redirect(target(saved))
    return render(request, FORM, {"form": form, "labels": case_labels(), **context})


@family_care_permission(Permission.VIEW_CASES)
def care_list(request: HttpRequest) -> HttpResponse:
    form = CareFilterForm(request.GET or None)
    filters = selectors.CareFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.CareFilters(
            search=data["q"],
            care_type=data["care_type"],
            expiring=data["expiring"],
            running=not data["ended"],
        )
    rows = selectors.care_list_open(
        actor=actor_from_request(request), filters=filters, request=request
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "family_care/list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "labels": case_labels(),
            "horizon": selectors.expiry_horizon(selectors.EXPIRING_DAYS),
            "today": timezone.localdate(),
        },
    )


@family_care_permission(Permission.VIEW_CASES)
def care_detail(request: HttpRequest, care_id: int) -> HttpResponse:
    care = selectors.care_open(actor=actor_from_request(request), care_id=care_id, request=request)
    return render(
        request,
        "family_care/care.html",
        {
            "care": care,
            "case": care.case,
            "carers": selectors.care_carers(care),
            "follow_ups": selectors.care_follow_ups(care),
            "labels": case_labels(),
            "may_record": _may_record(request) and care.case.is_open,
            "horizon": selectors.expiry_horizon(selectors.EXPIRING_DAYS),
        },
    )


def _to_care(care) -> str:
    return reverse("family_care:care", args=[care.pk])


@family_care_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def care_add(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    case = case_selectors.case_get(actor=actor, case_id=case_id, permission=Permission.RECORD_CASES)
    return form_page(
        request,
        CareForm(request.POST or None),
        lambda data: services.care_record(actor=actor, case=case, **data),
        lambda care: _("Family care recorded: add its carers."),
        _to_care,
        {"case": case},
    )


def _care_for_record(request: HttpRequest, care_id: int):
    actor = actor_from_request(request)
    return actor, selectors.care_get(
        actor=actor, care_id=care_id, permission=Permission.RECORD_CASES
    )


@family_care_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def carer_find(request: HttpRequest, care_id: int) -> HttpResponse:
    """Search the registry for the carer: choose a person found, or register a new one."""
    actor, care = _care_for_record(request, care_id)
    form = PersonSearchForm(request.POST or None)
    candidates = None
    target = reverse("family_care:carer_add", args=[care.pk])
    if request.method == "POST" and form.is_valid():
        try:
            person, candidates = person_from_search(request, form)
        except TooManyLookups:
            return too_many_lookups(request)
        if person is not None:
            return redirect(f"{target}?person={person.pk}")
    return render(
        request,
        "family_care/carer_find.html",
        {"form": form, "candidates": candidates, "care": care, "case": care.case, "target": target},
    )


@family_care_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def carer_add(request: HttpRequest, care_id: int) -> HttpResponse:
    """The carer chosen (``?person=`` with the search result's ``ref``): their relationship."""
    actor, care = _care_for_record(request, care_id)
    person_id = request.GET.get("person")
    if not person_id:
        return redirect("family_care:carer_find", care_id=care.pk)
    person = registry_person_read(
        actor=actor,
        person_id=person_id,
        ref=request.GET.get("ref", ""),
        purpose="carer of a family care record",
        request=request,
    )
    return form_page(
        request,
        CarerRelationshipForm(request.POST or None),
        lambda data: services.carer_add(actor=actor, care=care, person=person, **data),
        lambda carer: _("%(p)s added as a carer.") % {"p": person.full_name},
        lambda carer: _to_care(care),
        {"case": care.case, "care": care, "person": person},
    )


@family_care_permission(Permission.RECORD_CASES)
@require_POST
def carer_remove(request: HttpRequest, care_id: int, carer_id: int) -> HttpResponse:
    actor, care = _care_for_record(request, care_id)
    services.carer_remove(actor=actor, care=care, carer_id=carer_id)
    messages.success(request, _("The carer was removed from this care."))
    return redirect(_to_care(care))


@family_care_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def follow_up_add(request: HttpRequest, care_id: int) -> HttpResponse:
    actor, care = _care_for_record(request, care_id)
    return form_page(
        request,
        FollowUpForm(request.POST or None),
        lambda data: services.care_follow_up_record(actor=actor, care=care, **data),
        lambda visit: _("Follow-up recorded."),
        lambda visit: _to_care(care),
        {"case": care.case, "care": care},
    )


@family_care_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def care_end(request: HttpRequest, care_id: int) -> HttpResponse:
    actor, care = _care_for_record(request, care_id)
    return form_page(
        request,
        CareEndForm(request.POST or None),
        lambda data: services.care_end(actor=actor, care=care, **data),
        lambda ended: _("The care ended on %(d)s.") % {"d": ended.ended_on},
        _to_care,
        {"case": care.case, "care": care},
    )
