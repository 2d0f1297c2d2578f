"""The filter bars of the approvals queue and the referrals-in inbox: what was typed, checked,
then handed to ``case_apps/cases/selectors_lists.py`` as its filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from case_apps.cases.models import ApprovalKind
from case_apps.cases.selectors_lists import ApprovalFilters, ReferralInFilters
from sharing.models import ReferralKind, ReferralStatus

DATE = forms.DateInput(attrs={"type": "date"})
SEARCH = forms.TextInput(attrs={"type": "search"})


def _choices(label, choices) -> list:
    return [("", label), *choices]


def _labelled(form: forms.Form, placeholder: str) -> None:
    """Each field names itself to a screen reader; the search box says what it searches."""
    for field in form.fields.values():
        field.widget.attrs["aria-label"] = field.label
    form.fields["q"].widget.attrs["placeholder"] = placeholder


class ApprovalFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=SEARCH)
    kind = forms.ChoiceField(label=_("Request"), required=False)
    requested_by = forms.TypedChoiceField(
        label=_("Requested by"), required=False, coerce=int, empty_value=None
    )
    requested_from = forms.DateField(label=_("Requested from"), required=False, widget=DATE)
    requested_to = forms.DateField(label=_("to"), required=False, widget=DATE)

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _choices(_("Any request"), ApprovalKind.choices)
        self.fields["requested_by"].choices = _choices(
            _("Any officer"), [(u.pk, str(u)) for u in officers]
        )
        _labelled(self, _("Search by child name, CPIMS ID or case reference"))

    def filters(self) -> ApprovalFilters:
        """The checked filters (none when the form is unbound or wrong: the errors show)."""
        if not self.is_bound or not self.is_valid():
            return ApprovalFilters()
        data = self.cleaned_data
        return ApprovalFilters(
            search=data["q"],
            kind=data["kind"],
            requested_by=data["requested_by"],
            requested_from=data["requested_from"],
            requested_to=data["requested_to"],
        )


class ReferralInFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=SEARCH)
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    sender = forms.TypedChoiceField(label=_("From"), required=False, coerce=int, empty_value=None)
    sent_from = forms.DateField(label=_("Sent from"), required=False, widget=DATE)
    sent_to = forms.DateField(label=_("to"), required=False, widget=DATE)

    def __init__(self, *args, senders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _choices(_("Any status"), ReferralStatus.choices)
        self.fields["kind"].choices = _choices(
            _("Referrals and transfers"),
            [(ReferralKind.REFERRAL, _("Referral")), (ReferralKind.TRANSFER, _("Transfer"))],
        )
        self.fields["sender"].choices = _choices(
            _("Any organisation"), [(o.pk, o.name) for o in senders]
        )
        _labelled(self, _("Search organisation, child, reason or number"))

    def filters(self) -> ReferralInFilters:
        """The checked filters (none when the form is unbound or wrong: the errors show)."""
        if not self.is_bound or not self.is_valid():
            return ReferralInFilters()
        data = self.cleaned_data
        return ReferralInFilters(
            search=data["q"],
            status=data["status"],
            kind=data["kind"],
            sender=data["sender"],
            sent_from=data["sent_from"],
            sent_to=data["sent_to"],
        )
