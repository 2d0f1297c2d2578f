"""Discharge from an institution to family-based care, in one form (issue 19): the date and
type of discharge, the care (type, certificate, court) and up to two carers, each searched in
the registry on the same page and chosen, or registered. One transaction: a refusal changes
nothing and the form keeps what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from case_apps.cases.forms_child import TooManyLookups, person_from_search, too_many_lookups
from case_apps.family_care import selectors, services
from case_apps.family_care.forms import CARERS_ON_DISCHARGE, CarerSlotForm, DischargeToCareForm
from case_apps.family_care.views import family_care_permission
from case_apps.lists.selectors import list_choices_bulk
from case_apps.registry_person import registry_person_read
from cpims.form_errors import apply_errors
from tenants.actor import Actor, NotFound, actor_from_request
from tenants.policy import Permission

NEW = "new"
SEARCH_FIRST = gettext_lazy(
    "Search the registry for this carer, then choose the person or register a new one."
)
CARE_FIELDS = ("discharged_on", "discharge_type", *services.CARE_FIELDS)


def _chosen(actor: Actor, request: HttpRequest, slot: CarerSlotForm):
    """The registry person a slot's ``choice`` names ("<id>:<ref>"), None when it names
    none (or a person this member may not open)."""
    choice = (slot.data.get(slot.add_prefix("choice")) or "").strip()
    person_id, _colon, ref = choice.partition(":")
    if not person_id.isdigit():
        return None
    try:
        return registry_person_read(
            actor=actor,
            person_id=person_id,
            ref=ref,
            purpose="carer of a family care record",
            request=request,
        )
    except NotFound:
        return None


def _new_person(data: dict) -> dict:
    identifiers = [("ISOV", data["identifier"])] if data.get("identifier") else []
    return {
        "first_name": data.get("first_name") or "",
        "other_names": data.get("other_names") or "",
        "surname": data.get("surname") or "",
        "sex": data.get("sex") or "",
        "date_of_birth": data.get("date_of_birth"),
        "birth_year": data.get("birth_year"),
        "county_code": data.get("county_code") or None,
        "sub_county_code": data.get("sub_county_code") or None,
        "ward_code": data.get("ward_code") or None,
        "identifiers": identifiers,
        "registered_anyway_reason": data.get("registered_anyway_reason") or "",
    }


def _carers(slots, chosen) -> tuple[list[services.CarerInput], list[CarerSlotForm]] | None:
    """The carers of the used slots (and those slots, in order); None when a used slot has
    not been searched and decided yet (its error is on the slot)."""
    carers, used = [], []
    for slot, person in zip(slots, chosen, strict=True):
        if not slot.is_used():
            continue
        data = slot.cleaned_data
        if person is not None:
            carers.append(services.CarerInput(data["relationship_code"], person=person))
        elif data.get("choice") == NEW:
            carers.append(
                services.CarerInput(data["relationship_code"], new_person=_new_person(data))
            )
        else:
            slot.add_error(None, SEARCH_FIRST)
            return None
        used.append(slot)
    return carers, used


def _apply(form, used_slots, error: ValidationError) -> None:
    """The service's errors on the form and on each carer's part of it."""
    rest: dict[str, list[str]] = {}
    for key, messages_ in getattr(error, "message_dict", {"__all__": error.messages}).items():
        if key.startswith("carers."):
            _carers_, index, field = key.split(".", 2)
            slot = used_slots[int(index)]
            for message in messages_:
                slot.add_error(field if field in slot.fields else None, message)
        else:
            rest[key] = messages_
    if rest:
        apply_errors(form, ValidationError(rest))


@family_care_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def discharge_to_care(request: HttpRequest, admission_id: int) -> HttpResponse:
    if request.organisation.kind not in services.INSTITUTION_KINDS:
        raise Http404
    actor = actor_from_request(request)
    admission = selectors.admission_to_discharge(actor=actor, admission_id=admission_id)
    case = admission.case
    relationships = list_choices_bulk(["caregiver_relationship"])["caregiver_relationship"]
    data = request.POST if request.method == "POST" else None
    form = DischargeToCareForm(data)
    slots = [
        CarerSlotForm(data, prefix=f"carer{i}", relationships=relationships)
        for i in range(1, CARERS_ON_DISCHARGE + 1)
    ]
    candidates: list = [None] * len(slots)
    action = request.POST.get("action", "") if data is not None else ""
    chosen = [_chosen(actor, request, slot) if data is not None else None for slot in slots]
    if action.startswith("search_") and action[7:].isdigit():
        index = int(action[7:]) - 1
        if 0 <= index < len(slots) and slots[index].is_valid() and slots[index].is_used():
            try:
                _none, candidates[index] = person_from_search(request, slots[index])
            except TooManyLookups:
                return too_many_lookups(request)
    elif action == "save" and admission.discharged_on is None:
        slots_valid = all([slot.is_valid() for slot in slots])
        if form.is_valid() and slots_valid and (found := _carers(slots, chosen)) is not None:
            carers, used = found
            try:
                care = services.discharge_to_care(
                    actor=actor, admission=admission.pk, carers=carers, **form.cleaned_data
                )
            except ValidationError as error:
                _apply(form, used, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(child)s was discharged to family-based care with %(n)s carer linked.",
                        "%(child)s was discharged to family-based care with %(n)s carers linked.",
                        len(carers),
                    )
                    % {"child": case.child.full_name, "n": len(carers)},
                )
                return redirect("family_care:care", care_id=care.pk)
    return render(
        request,
        "family_care/discharge.html",
        {
            "form": form,
            "admission": admission,
            "case": case,
            "carer_slots": [
                {"number": i + 1, "form": slot, "candidates": candidates[i], "chosen": chosen[i]}
                for i, slot in enumerate(slots)
            ],
        },
    )
