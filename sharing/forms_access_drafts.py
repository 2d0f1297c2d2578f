"""The form a case worker drafts an access request with (sharing/services_access_drafts.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shared_registry import checkdigit
from shared_registry.selectors import person_get_by_cpims_id
from sharing.forms import field_choices
from sharing.models import DataSharingAgreement
from sharing.services_access_drafts import smallest_scope
from tenants.limits import max_length_of


class AccessRequestDraftForm(forms.Form):
    person = forms.CharField(max_length=32, widget=forms.HiddenInput)
    provider = forms.ModelChoiceField(
        queryset=None, label=_("Organisation you think holds the records"), empty_label=_("Choose")
    )
    fields = forms.MultipleChoiceField(
        label=_("What you ask to see"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
        help_text=_(
            "Only what the child's case needs: add a field deliberately. Your administrator "
            "reviews the request before it is sent."
        ),
    )
    purpose = forms.CharField(
        max_length=max_length_of(DataSharingAgreement, "purpose"),
        label=_("Why you need it"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    legal_basis = forms.CharField(
        max_length=max_length_of(DataSharingAgreement, "legal_basis"),
        label=_("Legal basis"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Consent, a court order, or the provision of law that allows it."),
    )

    def __init__(self, *args, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.fields["fields"].choices = field_choices()
        if not self.is_bound:
            self.initial.setdefault(
                "fields",
                [f"{kind}:{name}" for kind, names in smallest_scope().items() for name in names],
            )

    def clean_person(self):
        typed = checkdigit.normalise(self.cleaned_data.get("person", ""))[:32]
        person = person_get_by_cpims_id(typed) if checkdigit.is_valid(typed) else None
        if person is None:
            raise forms.ValidationError(_("Open the request from the child's registry result."))
        return person

    def scope(self) -> dict[str, list[str]]:
        scope: dict[str, list[str]] = {}
        for value in self.cleaned_data.get("fields") or []:
            kind, _sep, name = value.partition(":")
            scope.setdefault(kind, []).append(name)
        return scope
