"""The registration form: what the clerk types, checked before anything is saved."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shared_registry.identifiers import IdentifierType
from shared_registry.models import Sex
from shared_registry.places import (
    COUNTY_LABEL,
    SUB_COUNTY_LABEL,
    WARD_LABEL,
    PlacePickerMixin,
    place_field,
)

IDENTIFIER_SLOTS = 2


class PersonForm(PlacePickerMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    other_names = forms.CharField(label=_("Other names"), max_length=150, required=False)
    surname = forms.CharField(label=_("Surname"), max_length=100)
    also_known_as = forms.CharField(label=_("Also known as"), max_length=200, required=False)
    mother_name = forms.CharField(
        label=_("Mother's name"),
        max_length=200,
        required=False,
        help_text=_("As on the birth certificate or the child's file; it tells namesakes apart."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices])
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    birth_year = forms.IntegerField(
        label=_("Or year of birth (estimated)"), required=False, min_value=1, max_value=9999
    )
    birth_date_estimated = forms.BooleanField(label=_("Date of birth is estimated"), required=False)
    county_code = place_field(COUNTY_LABEL)
    sub_county_code = place_field(SUB_COUNTY_LABEL)
    ward_code = place_field(WARD_LABEL)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, IDENTIFIER_SLOTS + 1):
            self.fields[f"identifier_type_{i}"] = forms.ChoiceField(
                label=_("Identifier type"),
                required=False,
                choices=[("", "—"), *IdentifierType.choices],
            )
            self.fields[f"identifier_value_{i}"] = forms.CharField(
                label=_("Number"), max_length=40, required=False
            )

    def identifiers(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            (data[f"identifier_type_{i}"], data[f"identifier_value_{i}"])
            for i in range(1, IDENTIFIER_SLOTS + 1)
            if data.get(f"identifier_type_{i}") and data.get(f"identifier_value_{i}")
        ]

    def person_values(self) -> dict:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "other_names": data["other_names"],
            "surname": data["surname"],
            "also_known_as": data["also_known_as"],
            "mother_name": data["mother_name"],
            "sex": data["sex"],
            "date_of_birth": data["date_of_birth"],
            "birth_year": data["birth_year"],
            "county_code": data["county_code"] or None,
            "sub_county_code": data["sub_county_code"] or None,
            "ward_code": data["ward_code"] or None,
            "identifiers": self.identifiers(),
        }

    def add_service_errors(self, message_dict: dict[str, list[str]]) -> None:
        """Put a service's per-field errors on the matching form fields."""
        for key, messages in message_dict.items():
            field = {
                "county": "county_code",
                "sub_county": "sub_county_code",
                "ward": "ward_code",
            }.get(key, key)
            if key.startswith("identifier_"):
                wanted = key.removeprefix("identifier_")
                field = next(
                    (
                        f"identifier_value_{i}"
                        for i in range(1, IDENTIFIER_SLOTS + 1)
                        if self.cleaned_data.get(f"identifier_type_{i}") == wanted
                    ),
                    None,
                )
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
