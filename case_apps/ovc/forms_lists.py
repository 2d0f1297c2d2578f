"""The filter bars of the OVC households and children lists: what was typed, checked, then
handed to ``case_apps/ovc/selectors_lists.py`` as its filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from case_apps.lists.selectors import list_choices_bulk
from case_apps.ovc.models import EnrolmentStatus
from case_apps.ovc.selectors_lists import (
    HOUSEHOLD_ENROLLED,
    HOUSEHOLD_NOT_ENROLLED,
    ChildFilters,
    HouseholdFilters,
)
from shared_registry.places import county_options

DATE = forms.DateInput(attrs={"type": "date"})
SEARCH = forms.TextInput(attrs={"type": "search"})


def _blank(label, choices) -> list:
    return [("", label), *choices]


def _labelled(form: forms.Form, placeholder: str) -> None:
    """Each field names itself to a screen reader; the search box says what it searches."""
    for field in form.fields.values():
        field.widget.attrs["aria-label"] = field.label
    form.fields["q"].widget.attrs["placeholder"] = placeholder


class _ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=SEARCH)
    county = forms.ChoiceField(label=_("County"), required=False)
    registered_from = forms.DateField(label=_("Registered from"), required=False, widget=DATE)
    registered_to = forms.DateField(label=_("to"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = _blank(
            _("Any county"), [(c.code, c.name) for c in county_options()]
        )

    def cleaned(self) -> dict | None:
        """The checked values, or None when unbound or wrong (the errors show)."""
        if not self.is_bound or not self.is_valid():
            return None
        return self.cleaned_data


class HouseholdFilterForm(_ListFilterForm):
    officer = forms.TypedChoiceField(
        label=_("Officer"), required=False, coerce=int, empty_value=None
    )
    enrolled = forms.ChoiceField(
        label=_("Enrolment"),
        required=False,
        choices=[
            ("", _("Any household")),
            (HOUSEHOLD_ENROLLED, _("A child active in the programme")),
            (HOUSEHOLD_NOT_ENROLLED, _("No child active")),
        ],
    )

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = _blank(_("Any officer"), list(officers))
        _labelled(self, _("Search by name, CPIMS ID, household number or village"))

    def filters(self) -> HouseholdFilters:
        data = self.cleaned()
        if data is None:
            return HouseholdFilters()
        return HouseholdFilters(
            search=data["q"],
            county=data["county"],
            officer=data["officer"],
            enrolled=data["enrolled"],
            registered_from=data["registered_from"],
            registered_to=data["registered_to"],
        )


class ChildFilterForm(_ListFilterForm):
    status = forms.ChoiceField(label=_("Status"), required=False)
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    hiv_status = forms.ChoiceField(label=_("HIV status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lists = list_choices_bulk(["ovc_programme", "ovc_hiv_status"])
        self.fields["status"].choices = _blank(_("Any status"), EnrolmentStatus.choices)
        self.fields["programme"].choices = _blank(_("Any programme"), lists["ovc_programme"])
        self.fields["hiv_status"].choices = _blank(_("Any HIV status"), lists["ovc_hiv_status"])
        _labelled(self, _("Search by name, OVC serial, CPIMS ID or household number"))

    def filters(self) -> ChildFilters:
        data = self.cleaned()
        if data is None:
            return ChildFilters()
        return ChildFilters(
            search=data["q"],
            status=data["status"],
            programme=data["programme"],
            hiv_status=data["hiv_status"],
            county=data["county"],
            registered_from=data["registered_from"],
            registered_to=data["registered_to"],
        )
