"""Forms of governed sharing: the request of an agreement, and a reason for a decision."""

from __future__ import annotations

import re

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from shared_registry.selectors import person_get_by_cpims_id
from sharing.models import (
    Consent,
    ConsentGiver,
    DataSharingAgreement,
    OrganisationReferral,
    PersonsMode,
    ReferralKind,
    ReferralService,
)
from sharing.registry import record_kinds
from tenants.limits import max_length_of


def field_choices() -> list[tuple[str, str]]:
    return [
        (f"{kind.name}:{name}", f"{kind.label}: {label}")
        for kind in record_kinds()
        for name, label in kind.fields.items()
    ]


PERSONS_TEXT_MAX_LENGTH = 20_000  # CPIMS IDs, one a line (about 500 of them)


class AgreementRequestForm(forms.Form):
    provider = forms.ModelChoiceField(
        queryset=None, label=_("Organisation holding the data"), empty_label=_("Choose")
    )
    fields = forms.MultipleChoiceField(
        label=_("Records and fields"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    persons_mode = forms.ChoiceField(
        label=_("Which persons"),
        choices=PersonsMode.choices,
        widget=forms.RadioSelect,
        initial=PersonsMode.NAMED,
    )
    persons = forms.CharField(
        max_length=PERSONS_TEXT_MAX_LENGTH,
        label=_("Named persons (CPIMS IDs)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or more CPIMS person IDs, separated by commas or new lines."),
    )
    purpose = forms.CharField(
        max_length=max_length_of(DataSharingAgreement, "purpose"),
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    legal_basis = forms.CharField(
        max_length=max_length_of(DataSharingAgreement, "legal_basis"),
        label=_("Legal basis"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Consent, a court order, or the provision of law that allows it."),
    )
    consent_based = forms.BooleanField(
        label=_("The legal basis is consent"),
        required=False,
        help_text=_(
            "Then the agreement covers a child only while a consent in force, recorded "
            "by either organisation, covers every field it shares."
        ),
    )
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
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# service error keys -> form fields
ERROR_FIELDS = {"scope": "fields", "person_ids": "persons"}


def scope_from(values) -> dict[str, list[str]]:
    """Checkbox values ``kind:field`` -> ``{kind: [field, ...]}``."""
    scope: dict[str, list[str]] = {}
    for value in values or []:
        kind, _sep, name = value.partition(":")
        scope.setdefault(kind, []).append(name)
    return scope


def scope_values(scope: dict) -> list[str]:
    return [f"{kind}:{name}" for kind, names in (scope or {}).items() for name in names]


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(
        label=_("Given by"), choices=ConsentGiver.choices, widget=forms.RadioSelect
    )
    giver_name = forms.CharField(label=_("Name (or the court)"), max_length=200)
    giver_relationship = forms.CharField(
        label=_("Relationship to the child"),
        max_length=100,
        required=False,
        help_text=_("For a parent or caregiver."),
    )
    reference = forms.CharField(
        label=_("Court order or consent form number"), max_length=100, required=False
    )
    purpose = forms.CharField(
        max_length=max_length_of(Consent, "purpose"),
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    fields = forms.MultipleChoiceField(
        label=_("Data covered"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    given_on = forms.DateField(label=_("Given on"), widget=forms.DateInput({"type": "date"}))
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput({"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields"].choices = field_choices()

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["scope"] = scope_from(data.pop("fields"))
        return data


class ReferralSendForm(forms.Form):
    receiver = forms.ModelChoiceField(
        queryset=None, label=_("Receiving organisation"), empty_label=_("Choose")
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ReferralKind.choices, widget=forms.RadioSelect
    )
    services = forms.MultipleChoiceField(
        label=_("Services requested"),
        choices=ReferralService.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        max_length=max_length_of(OrganisationReferral, "reason"),
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.ModelChoiceField(
        queryset=None, label=_("Consent it relies on"), empty_label=_("Choose")
    )
    fields = forms.MultipleChoiceField(
        label=_("Fields the summary carries"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
        help_text=_("Only fields the consent covers can be sent."),
    )

    def __init__(self, *args, receivers=None, consents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = receivers
        self.fields["consent"].queryset = consents
        self.fields["consent"].label_from_instance = consent_label
        # Only fields some consent in force covers: the others could never be sent.
        offered = list(consents) if consents is not None else []

        def covered(value: str) -> bool:
            kind, field = value.split(":", 1)
            return any(consent.covers(kind, [field]) for consent in offered)

        self.fields["fields"].choices = [(v, label) for v, label in field_choices() if covered(v)]


def consent_label(consent) -> str:
    return _("%(giver)s (%(who)s), v%(v)s, until %(until)s: %(purpose)s") % {
        "giver": consent.giver_name,
        "who": consent.get_given_by_display(),
        "v": consent.version,
        "until": date_format(consent.valid_until),
        "purpose": consent.purpose[:60],
    }


class ServicesForm(forms.Form):
    services = forms.MultipleChoiceField(
        label=_("Services we receive referrals for"),
        choices=ReferralService.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
