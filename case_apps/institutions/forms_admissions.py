"""Forms of the admission screens: the admission's details (from a case, or direct or by
court committal with the case's category), the discharge, and undoing a discharge."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from case_apps.cases.forms import DATE, CodedForm
from case_apps.cases.services.common import REASON_MAX_LENGTH
from case_apps.institutions.models import Admission, AdmissionSource, PeriodUnit
from tenants.limits import NOTES_MAX_LENGTH, max_length_of

UNITS = [("", "---------"), *PeriodUnit.choices]


def _text(field: str, label, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=max_length_of(Admission, field), **kwargs
    )


class AdmissionForm(CodedForm):
    heading = _("Admit the child")

    coded_fields = {"admission_type": "admission_type", "admission_reason": "admission_reason"}
    admitted_on = forms.DateField(label=_("Date of admission"), widget=DATE)
    admission_number = _text("admission_number", _("Admission number"))
    admission_type = forms.ChoiceField(label=_("Admission type"))
    admission_reason = forms.ChoiceField(label=_("Reason"))
    is_emergency = forms.BooleanField(label=_("Emergency placement"), required=False)
    committal_order_number = _text("committal_order_number", _("Committal order number"))
    committal_court = _text("committal_court", _("Court"))
    committal_on = forms.DateField(label=_("Date of the order"), required=False, widget=DATE)
    committal_period = forms.IntegerField(
        label=_("Committal period"), required=False, min_value=1, max_value=999
    )
    committal_period_unit = forms.ChoiceField(label=_("Unit"), required=False, choices=UNITS)
    ob_number = _text("ob_number", _("OB number (no committal order)"))
    holding_period_days = forms.IntegerField(
        label=_("Holding period (days)"), required=False, min_value=1, max_value=3650
    )
    expected_exit_on = forms.DateField(
        label=_("Expected exit"),
        required=False,
        widget=DATE,
        help_text=_("Only when there is no committal period: the period gives it."),
    )
    free_for_adoption = forms.BooleanField(label=_("Free for adoption"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=NOTES_MAX_LENGTH, widget=forms.Textarea
    )


ENTRY_CHOICES = [
    (AdmissionSource.DIRECT, _("Direct admission")),
    (AdmissionSource.COURT, _("Court committal")),
]


class DirectAdmissionForm(AdmissionForm):
    """A child admitted directly or on a court committal: the institution's own case is opened
    with this category, reported on the day of admission."""

    heading = _("Admit a child directly or on a court committal")
    coded_fields = {**AdmissionForm.coded_fields, "case_category": "case_category"}
    source = forms.ChoiceField(label=_("Admitted on"), choices=ENTRY_CHOICES)
    case_category = forms.ChoiceField(label=_("Case category"))

    field_order = ["source", "case_category", "admitted_on"]


class DischargeForm(CodedForm):
    heading = _("Discharge")

    coded_fields = {"discharge_type": "discharge_type"}
    discharge_type = forms.ChoiceField(label=_("Discharge type"))
    discharged_on = forms.DateField(label=_("Date of discharge"), widget=DATE)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=NOTES_MAX_LENGTH, widget=forms.Textarea
    )


class DischargeUndoForm(forms.Form):
    heading = _("Undo the discharge")

    reason = forms.CharField(
        label=_("Why the discharge was a mistake"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
