"""The institution's admission on a confirmed vacancy: the day, the reason (care and
protection or offender), the case category of the case it opens."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from case_apps.cases.forms import DATE, CodedForm
from case_apps.institutions.models import Admission
from tenants.limits import NOTES_MAX_LENGTH, max_length_of


class VacancyAdmitForm(CodedForm):
    heading = _("Admit the child on the confirmed vacancy")
    coded_fields = {"admission_reason": "admission_reason", "category": "case_category"}

    admitted_on = forms.DateField(label=_("Date of admission"), widget=DATE)
    admission_reason = forms.ChoiceField(label=_("Reason for admission"))
    category = forms.ChoiceField(label=_("Case category"))
    admission_number = forms.CharField(
        label=_("Admission number"),
        required=False,
        max_length=max_length_of(Admission, "admission_number"),
    )
    is_emergency = forms.BooleanField(label=_("Emergency placement"), required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
