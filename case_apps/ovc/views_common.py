"""What the OVC screens share: the implementing-partner door, code labels, the form flow.
Only implementing partners (kind "ip" or "lip") run the programme."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse

from case_apps.field.confirmations import WAITING_MESSAGE
from case_apps.lists.selectors import list_labels_bulk
from case_apps.ovc import codes, scoring, selectors
from case_apps.ovc.capabilities import OVC_ORGANISATION_KINDS
from case_apps.ovc.models import Household, ReferralState
from cpims.form_errors import apply_errors
from tenants.actor import Actor, actor_from_request
from tenants.decorators import workspace_permission_required
from tenants.policy import Permission


def runs_ovc(organisation) -> bool:
    """Whether this organisation runs the OVC programme (implementing partners)."""
    return organisation is not None and organisation.kind in OVC_ORGANISATION_KINDS


def ovc_permission(permission: Permission):
    """Only in an implementing partner's workspace (404 elsewhere), then the workspace
    permission exactly as ``workspace_permission_required`` checks it."""

    def decorator(view):
        guarded = workspace_permission_required(permission)(view)

        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not runs_ovc(getattr(request, "organisation", None)):
                raise Http404
            return guarded(request, *args, **kwargs)

        return wrapped

    return decorator


def actor(request: HttpRequest) -> Actor:
    return actor_from_request(request)


def person_or_find(request, purpose: str, household: Household | None = None):
    """The registry person the form is for (``?person=``, with the ``ref`` of the search
    result that showed them unless the organisation holds a record on them: 404 otherwise),
    or the way to the registry search."""
    person_id = request.GET.get("person")
    if not person_id:
        url = f"{reverse('ovc:find_person')}?for={purpose}"
        if household is not None:
            url += f"&household={household.pk}"
        return None, redirect(url)
    person = selectors.person_get(
        actor=actor(request), person_id=person_id, ref=request.GET.get("ref", ""), request=request
    )
    return person, None


class _Labels(dict):
    """Code -> label per list, read by the ``label`` template tag of case_labels."""

    def of(self, list_name: str, code: str) -> str:
        return self.get(list_name, {}).get(code, code)

    def many(self, list_name: str, codes_: list[str]) -> str:
        return ", ".join(self.of(list_name, code) for code in codes_)


LABELLED_LISTS = {
    "member_type": "ovc_member_type",
    "hiv_status": "ovc_hiv_status",
    "programme": "ovc_programme",
    "eligibility": "ovc_eligibility",
    "school_level": "ovc_school_level",
    "exit_reason": "ovc_exit_reason",
    "domain": "ovc_domain",
    "responsible": "ovc_responsible",
    "art_status": "ovc_art_status",
    "adherence": "ovc_adherence",
    "wellbeing_kind": "ovc_wellbeing_kind",
}


def labels() -> _Labels:
    """Labels of the national OVC lists (inactive items too: old records keep theirs) and of
    the app's own fixed choices."""
    lists = list_labels_bulk(LABELLED_LISTS.values())
    found = _Labels((name, lists[list_name]) for name, list_name in LABELLED_LISTS.items())
    found["pathway"] = {code: str(label) for code, label in scoring.PATHWAYS}
    found["risk"] = {key: str(label) for key, label, _who in codes.RISK_QUESTIONS}
    found["referral_state"] = {code: str(label) for code, label in ReferralState.choices}
    return found


def _names(context: dict) -> dict:
    """What a confirmation may name: %(household)s (its number), %(child)s, %(person)s."""
    household, enrolment = context.get("household"), context.get("enrolment")
    person = context.get("person")
    return {
        "household": household.number if household else "",
        "child": enrolment.child.full_name if enrolment else "",
        "person": person.full_name if person else "",
    }


def form_view(request, form, template: str, save, success: str, target: str, context: dict):
    """POST: save(cleaned_data) and go to ``target``; on errors keep the input.

    ``success`` says what happened, naming the household, child or person (``_names``); a
    ``save`` returning a waiting staff submission (case_apps/field/services_staff.py) says
    that the form waits for a supervisor's approval instead."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            waits = getattr(saved, "waiting", False)  # a staff form waiting for approval
            messages.success(request, WAITING_MESSAGE if waits else success % _names(context))
            return redirect(target)
    return render(request, template, {"form": form, "labels": labels(), **context})


def enrolment_form(request, enrolment_id, form_class, save_fn, title: str, success: str):
    """A form about one enrolled child (fetched as the actor), back to the child's page."""
    enrolment = selectors.enrolment_get(actor=actor(request), enrolment_id=enrolment_id)
    return form_view(
        request,
        form_class(request.POST or None),
        "ovc/form.html",
        lambda data: save_fn(enrolment, data),
        success,
        reverse("ovc:enrolment", args=[enrolment.pk]),
        {"household": enrolment.household, "enrolment": enrolment, "title": title},
    )
