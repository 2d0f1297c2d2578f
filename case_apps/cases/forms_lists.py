"""The filter bars of the caseload, the approvals queue and the referrals-in inbox: what was
typed, checked, then handed to the selectors as their filters (``CaseFilters`` in
``case_apps/cases/selectors.py``, the queues' in ``case_apps/cases/selectors_lists.py``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from case_apps.cases.forms import BLANK, CodedForm
from case_apps.cases.models import ApprovalKind, CaseStage, CaseStatus
from case_apps.cases.selectors import CaseFilters
from case_apps.cases.selectors_lists import ApprovalFilters, ReferralInFilters
from shared_registry.places import COUNTY_LABEL, PlacePickerMixin, place_field
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


class CaseFilterForm(PlacePickerMixin, CodedForm):
    place_fields = ("county", None, None)
    coded_fields = {"category": "case_category", "risk_level": "risk_level"}
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=BLANK + CaseStatus.choices
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=BLANK + CaseStage.choices)
    category = forms.ChoiceField(label=_("Category"), required=False)
    risk_level = forms.ChoiceField(label=_("Risk"), required=False)
    officer = forms.TypedChoiceField(
        label=_("Officer"), required=False, coerce=int, empty_value=None
    )
    county = place_field(COUNTY_LABEL)
    reported_from = forms.DateField(label=_("Reported from"), required=False, widget=DATE)
    reported_to = forms.DateField(label=_("to"), required=False, widget=DATE)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("-date_reported", _("Newest first")),
            ("date_reported", _("Oldest first")),
            ("risk", _("Risk")),
            ("reference", _("Reference")),
        ],
    )

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = BLANK + [(u.pk, str(u)) for u in officers]
        county = self.fields["county"].widget
        county.choices = [("", _("Any county")), *county.choices[1:]]
        county.attrs["aria-label"] = COUNTY_LABEL

    def filters(self) -> CaseFilters:
        """The checked filters (none when the form is unbound or wrong: the errors show)."""
        if not self.is_bound or not self.is_valid():
            return CaseFilters()
        data = self.cleaned_data
        return CaseFilters(
            search=data["q"],
            status=data["status"],
            stage=data["stage"],
            category=data["category"],
            risk_level=data["risk_level"],
            officer=data["officer"],
            county=data["county"],
            reported_from=data["reported_from"],
            reported_to=data["reported_to"],
            sort=data["sort"] or "-date_reported",
        )


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
