"""Forms of HIV care (issue 18 point 4): the ART referral's completion, caregivers' HIV
status, the HEI test visits and outcome, the M&E lists' filters. Input checks only; the
rules live in services_care.py and services_hei.py."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from case_apps.ovc.facility_widget import facility_field
from case_apps.ovc.forms import DATE, _choices
from case_apps.ovc.models_hiv import HeiOutcome, HeiTest
from case_apps.ovc.selectors_hiv import HivListFilters

SEARCH = forms.TextInput(attrs={"type": "search"})


class ArtReferralForm(forms.Form):
    art_referral_completed_on = forms.DateField(label=_("ART referral completed on"), widget=DATE)
    art_facility = facility_field(_("ART facility"))


class CaregiverHivForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Caregiver"), coerce=int)
    hiv_status = forms.ChoiceField(
        label=_("HIV status"), choices=_choices("ovc_hiv_status", leave_out=("HHEI",))
    )
    art_status = forms.ChoiceField(
        label=_("ART"), choices=_choices("ovc_art_status"), required=False
    )
    known_on = forms.DateField(label=_("Date the status was known"), widget=DATE)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "—")] + list(members)


class HeiTestForm(forms.Form):
    test = forms.ChoiceField(label=_("Test"), choices=[("", "—"), *HeiTest.choices])
    tested_on = forms.DateField(label=_("Date of test"), widget=DATE)
    result = forms.ChoiceField(
        label=_("Result"), choices=_choices("ovc_hiv_status", only=("HSTP", "HSTN"))
    )


class HeiOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Final outcome"), choices=[("", "—"), *HeiOutcome.choices])
    decided_on = forms.DateField(label=_("Date of outcome"), widget=DATE)
    art_facility = facility_field(_("ART facility"))
    art_started_on = forms.DateField(label=_("ART started on"), widget=DATE, required=False)


class HivListFilterForm(forms.Form):
    """The M&E lists' period and search (the period defaults to the current quarter)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=SEARCH)
    period_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    period_to = forms.DateField(label=_("to"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = field.label
        self.fields["q"].widget.attrs["placeholder"] = _(
            "Search by name, CPIMS ID or household number"
        )

    def filters(self, today: date) -> HivListFilters:
        """What was asked; the current quarter when nothing was (or something wrong was)."""
        asked = self.is_bound and any(self.data.get(name) for name in self.fields)
        if not asked or not self.is_valid():
            return HivListFilters(period_from=quarter_start(today), period_to=today)
        data = self.cleaned_data
        return HivListFilters(
            period_from=data["period_from"], period_to=data["period_to"], search=data["q"]
        )


def quarter_start(today: date) -> date:
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
