"""The case record sheet: finding the child, recording the sheet, correcting it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from case_apps.cases import confirmations, selectors, services
from case_apps.cases.forms import CaseRecordForm, CategoryFormSet, PerpetratorFormSet
from case_apps.cases.forms_child import (
    ChildSearchForm,
    TooManyLookups,
    person_from_search,
    too_many_lookups,
)
from case_apps.cases.models import CaseRecord
from case_apps.cases.presenters import case_labels
from case_apps.cases.views.common import on_case, refusals_as_pages
from case_apps.lists.selectors import list_choices_bulk, sub_categories_by_category
from cpims.form_errors import apply_errors
from tenants.actor import actor_from_request
from tenants.decorators import workspace_permission_required
from tenants.policy import Permission


@workspace_permission_required(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def find_child(request: HttpRequest) -> HttpResponse:
    """Search the national registry before registering: link to a known child or confirm
    a new one (the registry's matching ranks candidates and says why)."""
    form = ChildSearchForm(request.POST or None)
    candidates = None
    if request.method == "POST" and form.is_valid():
        try:
            child, candidates = person_from_search(request, form)
        except TooManyLookups:
            return too_many_lookups(request)
        if child is not None:
            village = urlencode({"village": form.cleaned_data.get("village", "")})
            return redirect(f"{reverse('cases:create')}?child={child.pk}&{village}")
    return render(request, "cases/find_child.html", {"form": form, "candidates": candidates})


@workspace_permission_required(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def case_create(request: HttpRequest) -> HttpResponse:
    person_id = request.GET.get("child") or request.POST.get("child")
    if not person_id:
        return redirect("cases:find_child")
    # only a child the organisation holds a record on, or one a search just showed (``ref``)
    ref = request.GET.get("ref") or request.POST.get("ref") or ""
    child = selectors.child_get(
        actor=actor_from_request(request), person_id=person_id, ref=ref, request=request
    )
    choices = list_choices_bulk(
        [
            "reporter_type",
            "risk_level",
            "immediate_need",
            "long_term_need",
            "intervention",
            "case_category",
            "case_sub_category",
            "place_of_event",
            "case_nature",
            "perpetrator_status",
            "perpetrator_relationship",
        ]
    )
    data = request.POST if request.method == "POST" else None
    form = CaseRecordForm(data, choices=choices, initial=residence_initial(request, child))
    sub_categories = sub_categories_by_category()
    categories = CategoryFormSet(
        data, prefix="cat", form_kwargs={"choices": choices, "sub_categories": sub_categories}
    )
    perpetrators = PerpetratorFormSet(data, prefix="perp", form_kwargs={"choices": choices})
    if (
        request.method == "POST"
        and form.is_valid()
        and categories.is_valid()
        and perpetrators.is_valid()
    ):
        try:
            case = services.case_open(
                actor=actor_from_request(request),
                child=child,
                categories=[
                    services.CategoryInput(**c)
                    for c in categories.cleaned_data
                    if c.get("category_code")
                ],
                perpetrators=[
                    services.PerpetratorInput(**p)
                    for p in perpetrators.cleaned_data
                    if p.get("status")
                ],
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Case %(ref)s recorded.") % {"ref": case.national_reference}
            )
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "cases/case_form.html",
        {
            "form": form,
            "categories": categories,
            "perpetrators": perpetrators,
            "child": child,
            "ref": ref,
            "sub_categories": sub_categories_by_category(),
        },
    )


def residence_initial(request: HttpRequest, child) -> dict:
    """Where the child lives, as registered a moment ago (the registry keeps county,
    sub-county and ward; the village comes along from the registration step)."""
    return {
        "residence_county_code": child.county.code if child.county_id else "",
        "residence_sub_county_code": child.sub_county.code if child.sub_county_id else "",
        "residence_ward_code": child.ward.code if child.ward_id else "",
        "residence_village": request.GET.get("village", "")[:100],
    }


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    """Edit the case record sheet; a concurrent save is refused and both versions shown."""
    fields = [f for f in services.EDITABLE_FIELDS if f in CaseRecordForm.base_fields]
    initial = {name: getattr(case, name) for name in fields}
    form = CaseRecordForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in fields}
        try:
            expected = int(request.POST.get("version", "0"))
            services.case_update(
                case=case,
                actor=actor_from_request(request),
                expected_version=expected,
                **changes,
            )
        except services.CaseConflict as error:
            labels = case_labels()
            conflict = [
                (
                    form.fields[name].label,
                    _display(labels, name, changes[name]),
                    _display(labels, name, getattr(error.current, name)),
                )
                for name in changes
                if changes[name] != getattr(error.current, name)
            ]
            form.add_error(None, str(error))
            case = error.current
        except (ValidationError, ValueError) as error:
            if isinstance(error, ValidationError):
                apply_errors(form, error)
            else:
                form.add_error(None, str(error))
        else:
            messages.success(request, confirmations.record_sheet_saved(case))
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request, "cases/case_edit.html", {"form": form, "case": case, "conflict": conflict}
    )


def _display(labels, name: str, value) -> str:
    lists = {
        "reporter_type": "reporter_type",
        "risk_level": "risk_level",
        "intake_intervention": "intervention",
        "immediate_needs": "immediate_need",
        "long_term_needs": "long_term_need",
    }
    if name in lists:
        return (
            labels.many(lists[name], value)
            if isinstance(value, list)
            else labels.of(lists[name], value)
        )
    return "" if value is None else str(value)
