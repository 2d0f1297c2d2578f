"""The household visit form (issue 21): what happened, why, who was seen, what next."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from case_apps.ovc.forms import DATE
from case_apps.ovc.models_visits import HouseholdVisit, VisitOutcome, VisitPurpose
from tenants.limits import max_length_of


class HouseholdVisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Date of visit"), widget=DATE)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=VisitOutcome.choices, widget=forms.RadioSelect
    )
    purposes = forms.MultipleChoiceField(
        label=_("Purposes"),
        choices=VisitPurpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    children_seen = forms.TypedMultipleChoiceField(
        label=_("Children seen"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    caregiver_present = forms.BooleanField(label=_("Caregiver present"), required=False)
    observations = forms.CharField(
        label=_("Observations"),
        max_length=max_length_of(HouseholdVisit, "observations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_visit_on = forms.DateField(label=_("Next visit"), required=False, widget=DATE)

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children_seen"].choices = list(children)
