"""Forms of the residents register (issue 19): its filter bar and the places per sex and age
band."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from case_apps.institutions.selectors_residents import (
    ADMISSION_TYPES,
    AGE_BANDS,
    CAPACITY_SEXES,
    DUE,
    OVERSTAY,
    ResidentFilters,
)
from case_apps.institutions.services_residents import MAX_PLACES, capacity_key
from case_apps.lists.selectors import list_choices_bulk
from shared_registry.models import Sex

BLANK = [("", "")]


def admission_type_choices() -> list[tuple[str, str]]:
    """The national admission types (their labels once the list is loaded)."""
    labelled = dict(list_choices_bulk({"admission_type"}).get("admission_type", []))
    codes = list(labelled) + [code for code in ADMISSION_TYPES if code not in labelled]
    return [(code, labelled.get(code, code)) for code in codes]


class ResidentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=BLANK + Sex.choices)
    age_band = forms.ChoiceField(
        label=_("Age"), required=False, choices=BLANK + [(b, b) for b in AGE_BANDS]
    )
    admission_type = forms.ChoiceField(label=_("Admission type"), required=False)
    when = forms.ChoiceField(
        label=_("Exit"),
        required=False,
        choices=BLANK
        + [(DUE, _("Due for discharge within 30 days")), (OVERSTAY, _("Past the expected exit"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["admission_type"].choices = BLANK + admission_type_choices()
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = field.label

    def filters(self) -> ResidentFilters:
        """The filters typed (those not understood are left out and reported)."""
        if not self.is_bound:
            return ResidentFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return ResidentFilters(
            search=data.get("q", ""),
            sex=data.get("sex", ""),
            age_band=data.get("age_band", ""),
            admission_type=data.get("admission_type", ""),
            when=data.get("when", ""),
        )


def capacity_groups() -> list[tuple[str, str, str]]:
    """(field name, sex, age band) of every group places are set for."""
    return [
        (capacity_key(sex.value, band), sex.value, band)
        for sex in CAPACITY_SEXES
        for band in AGE_BANDS
    ]


class CapacityForm(forms.Form):
    """One number of places per sex and age band (empty: no places for that group)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Sex.choices)
        for name, sex, band in capacity_groups():
            self.fields[name] = forms.IntegerField(
                label=f"{labels[sex]} {band}", required=False, min_value=0, max_value=MAX_PLACES
            )

    def places(self) -> dict[tuple[str, str], int | None]:
        return {(sex, band): self.cleaned_data.get(name) for name, sex, band in capacity_groups()}
