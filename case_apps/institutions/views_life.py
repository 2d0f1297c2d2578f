"""Screens of life in the institution (issue 19): one small form page per kind of record,
each on an admission the member sees through its case; after saving, back to the admission
page."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from case_apps.cases.views.common import refusals_as_pages
from case_apps.institutions import forms_life, selectors_life, services_life
from case_apps.institutions.models import Admission
from cpims.form_errors import apply_errors
from tenants.actor import actor_from_request
from tenants.decorators import workspace_permission_required
from tenants.policy import Permission

FORM = "institutions/life_form.html"


def _day(value) -> str:
    return formats.date_format(value, "j M Y")


def admission_url(admission: Admission) -> str:
    """The admission page (the admissions subject's), or the case page while it is not
    there."""
    try:
        return reverse("institutions:admission", args=[admission.pk])
    except NoReverseMatch:
        return reverse("cases:detail", args=[admission.case_id])


def on_admission(view):
    """Load the admission as the member with the right to record cases on its case (404
    when missing or not visible, 403 without the right), then call the view with it."""

    @wraps(view)
    @workspace_permission_required(Permission.RECORD_CASES)
    @refusals_as_pages
    @require_http_methods(["GET", "POST"])
    def wrapped(request: HttpRequest, admission_id: int, *args, **kwargs):
        admission = selectors_life.admission_get(
            actor=actor_from_request(request),
            admission_id=admission_id,
            permission=Permission.RECORD_CASES,
        )
        return view(request, admission, *args, **kwargs)

    return wrapped


def _form_page(request, admission, form_class, save, success, *, done_url=None, **extra):
    """GET shows the form; POST calls ``save(cleaned_data)`` and keeps what was typed when
    the service refuses it."""
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success(saved))
            return redirect(done_url(saved) if done_url else admission_url(admission))
    context = {"form": form, "admission": admission, "back": admission_url(admission), **extra}
    return render(request, FORM, context)


@on_admission
def leave_add(request: HttpRequest, admission: Admission) -> HttpResponse:
    return _form_page(
        request,
        admission,
        forms_life.LeaveForm,
        lambda data: services_life.leave_record(
            actor=actor_from_request(request), admission=admission, **data
        ),
        lambda leave: _("Leave recorded: due back on %(d)s.") % {"d": _day(leave.due_back_on)},
    )


@on_admission
def leave_return(request: HttpRequest, admission: Admission, leave_id: int) -> HttpResponse:
    return _form_page(
        request,
        admission,
        forms_life.LeaveReturnForm,
        lambda data: services_life.leave_return(
            actor=actor_from_request(request), admission=admission, leave_id=leave_id, **data
        ),
        lambda leave: _("Back from leave on %(d)s.") % {"d": _day(leave.returned_on)},
    )


@on_admission
def adverse_add(request: HttpRequest, admission: Admission) -> HttpResponse:
    def success(event):
        if event.event_code in services_life.ENDS_RESIDENCE:
            return _("Adverse event recorded; the residence ended on %(d)s.") % {
                "d": _day(event.occurred_on)
            }
        return _("Adverse event recorded.")

    return _form_page(
        request,
        admission,
        forms_life.AdverseEventForm,
        lambda data: services_life.adverse_event_record(
            actor=actor_from_request(request), admission=admission, **data
        ),
        success,
    )


@on_admission
def return_record(request: HttpRequest, admission: Admission) -> HttpResponse:
    return _form_page(
        request,
        admission,
        forms_life.ReturnForm,
        lambda data: services_life.resident_return(
            actor=actor_from_request(request), admission=admission, **data
        ),
        lambda returned: (
            _("Return recorded: resident again from %(d)s.") % {"d": _day(returned.admitted_on)}
        ),
        done_url=admission_url,
    )


@on_admission
def education_add(request: HttpRequest, admission: Admission) -> HttpResponse:
    return _form_page(
        request,
        admission,
        forms_life.EducationForm,
        lambda data: services_life.education_record(
            actor=actor_from_request(request), admission=admission, **data
        ),
        lambda record: _("Education at %(s)s recorded.") % {"s": record.school_name},
    )


@on_admission
def conference_add(request: HttpRequest, admission: Admission) -> HttpResponse:
    return _form_page(
        request,
        admission,
        forms_life.ConferenceForm,
        lambda data: services_life.conference_record(
            actor=actor_from_request(request), admission=admission, **data
        ),
        lambda conference: (
            _("Case conference of %(d)s recorded.") % {"d": _day(conference.held_on)}
        ),
    )


@on_admission
def care_plan_add(request: HttpRequest, admission: Admission) -> HttpResponse:
    return _form_page(
        request,
        admission,
        forms_life.CarePlanForm,
        lambda data: services_life.care_plan_record(
            actor=actor_from_request(request), admission=admission, **data
        ),
        lambda plan: (
            _("Care plan recorded: review due on %(d)s.") % {"d": _day(plan.review_due_on)}
        ),
    )


@on_admission
def care_plan_review_add(request: HttpRequest, admission: Admission, plan_id: int) -> HttpResponse:
    return _form_page(
        request,
        admission,
        forms_life.CarePlanReviewForm,
        lambda data: services_life.care_plan_review(
            actor=actor_from_request(request), admission=admission, plan_id=plan_id, **data
        ),
        lambda review: (
            _("Care plan reviewed: next review due on %(d)s.") % {"d": _day(review.next_review_on)}
        ),
    )
