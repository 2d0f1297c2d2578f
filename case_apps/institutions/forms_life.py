"""Forms of life in the institution (issue 19): one small form per kind of record."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from case_apps.cases.forms import DATE, CodedForm
from case_apps.institutions.models import Admission
from case_apps.institutions.models_life import (
    CARE_PLAN_DOMAINS,
    AdverseEvent,
    CarePlan,
    CarePlanReview,
    CaseConference,
    EducationRecord,
    LeaveOfAbsence,
)
from tenants.limits import max_length_of


def _text(model, name: str, label, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length_of(model, name),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LeaveForm(forms.Form):
    heading = _("Record a leave of absence")

    left_on = forms.DateField(label=_("Left on"), widget=DATE)
    due_back_on = forms.DateField(label=_("Due back on"), widget=DATE)
    destination = forms.CharField(
        label=_("Where and with whom"), max_length=max_length_of(LeaveOfAbsence, "destination")
    )
    reason = _text(LeaveOfAbsence, "reason", _("Reason"))


class LeaveReturnForm(forms.Form):
    heading = _("Record the return from leave")

    returned_on = forms.DateField(label=_("Returned on"), widget=DATE)


class AdverseEventForm(CodedForm):
    heading = _("Record an adverse event")

    coded_fields = {"event_code": "adverse_event"}
    event_code = forms.ChoiceField(
        label=_("Event"),
        help_text=_("An escape or a death ends the residence on the day it happened."),
    )
    occurred_on = forms.DateField(label=_("Occurred on"), widget=DATE)
    notes = _text(AdverseEvent, "notes", _("Notes"), required=False)


class ReturnForm(forms.Form):
    heading = _("Record the return after escape")

    returned_on = forms.DateField(label=_("Returned on"), widget=DATE)
    admission_number = forms.CharField(
        label=_("New admission number"),
        required=False,
        max_length=max_length_of(Admission, "admission_number"),
    )
    notes = _text(Admission, "notes", _("Notes"), required=False)


class EducationForm(CodedForm):
    heading = _("Record education")

    coded_fields = {"level": "ovc_school_level"}
    school_name = forms.CharField(
        label=_("School or training centre"),
        max_length=max_length_of(EducationRecord, "school_name"),
    )
    level = forms.ChoiceField(label=_("Level"))
    class_name = forms.CharField(
        label=_("Class or course"),
        required=False,
        max_length=max_length_of(EducationRecord, "class_name"),
    )
    started_on = forms.DateField(label=_("From"), widget=DATE)
    notes = _text(EducationRecord, "notes", _("Notes"), required=False)


class ConferenceForm(forms.Form):
    heading = _("Record a case conference")

    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    attendees = _text(CaseConference, "attendees", _("Attendees"))
    decisions = _text(CaseConference, "decisions", _("Decisions"))
    next_on = forms.DateField(label=_("Next conference"), required=False, widget=DATE)


class CarePlanForm(forms.Form):
    heading = _("Draw up an individual care plan")

    drawn_up_on = forms.DateField(label=_("Drawn up on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in CARE_PLAN_DOMAINS:
            self.fields[name] = _text(CarePlan, name, label, required=False)
            self.fields[name].help_text = _("Goals and the services that meet them.")
        self.fields["review_due_on"] = forms.DateField(label=_("Review due on"), widget=DATE)


class CarePlanReviewForm(forms.Form):
    heading = _("Review the care plan")

    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DATE)
    progress = _text(CarePlanReview, "progress", _("Progress"))
    next_review_on = forms.DateField(label=_("Next review due on"), widget=DATE)
