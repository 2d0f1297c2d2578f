"""Forms of governed sharing: the request of an agreement, and a reason for a decision."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from shared_registry.selectors import person_get_by_cpims_id
from sharing.models import PersonsMode
from sharing.registry import record_kinds


def field_choices() -> list[tuple[str, str]]:
    return [
        (f"{kind.name}:{name}", f"{kind.label}: {label}")
        for kind in record_kinds()
        for name, label in kind.fields.items()
    ]


class AgreementRequestForm(forms.Form):
    provider = forms.ModelChoiceField(
        queryset=None, label=_("Organisation holding the data"), empty_label=_("Choose")
    )
    fields = forms.MultipleChoiceField(
        label=_("Records and fields"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    persons_mode = forms.ChoiceField(
        label=_("Which persons"), choices=PersonsMode.choices, widget=forms.RadioSelect,
        initial=PersonsMode.NAMED,
    )  # fmt: skip
    persons = forms.CharField(
        label=_("Named persons (CPIMS IDs)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or more CPIMS person IDs, separated by commas or new lines."),
    )  # fmt: skip
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(
        label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Consent, a court order, or the provision of law that allows it."),
    )  # fmt: skip
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput({"type": "date"}))
    end_date = forms.DateField(label=_("End date"), widget=forms.DateInput({"type": "date"}))

    def __init__(self, *args, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.fields["fields"].choices = field_choices()

    def clean_persons(self) -> list:
        persons, unknown = [], []
        for token in re.split(r"[,\n;]+", self.cleaned_data.get("persons") or ""):
            token = token.strip()
            if not token:
                continue
            person = person_get_by_cpims_id(token)
            if person is None:
                unknown.append(token)
            else:
                persons.append(person)
        if unknown:
            raise forms.ValidationError(
                _("Unknown CPIMS IDs: %(ids)s") % {"ids": ", ".join(unknown)}
            )
        return persons

    def scope(self) -> dict[str, list[str]]:
        scope: dict[str, list[str]] = {}
        for value in self.cleaned_data.get("fields") or []:
            kind, _sep, name = value.partition(":")
            scope.setdefault(kind, []).append(name)
        return scope


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


# service error keys -> form fields
ERROR_FIELDS = {"scope": "fields", "person_ids": "persons"}
