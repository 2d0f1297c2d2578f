"""Forms of OVC transfers between partners: input checks only; the rules live in
services_transfers.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from case_apps.ovc.forms import EnrolmentForm, _choices
from case_apps.ovc.selectors_transfers import SEARCH_MAX
from sharing.models_ovc_transfers import OvcTransferStatus
from tenants.limits import NOTES_MAX_LENGTH

NEW_HOUSEHOLD = "new"


class TransferFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=SEARCH_MAX,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Child's name or CPIMS ID")}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Every status"))] + list(OvcTransferStatus.choices),
        required=False,
    )


class TransferAcceptForm(EnrolmentForm):
    """The receiver's enrolment of the transferred child, and the household it joins: one of
    the receiver's households, or a new one headed by the caregiver the sender proposed."""

    household = forms.ChoiceField(label=_("Household the child joins"))
    caregiver_relation = forms.ChoiceField(
        label=_("Caregiver's relation to the children (new household)"),
        choices=_choices("ovc_member_type", leave_out=("TOVC", "TBVC")),
        required=False,
    )
    caregiver_hiv_status = forms.ChoiceField(
        label=_("Caregiver's HIV status (new household)"),
        choices=_choices("ovc_hiv_status", blank=False),
        required=False,
    )

    field_order = ["household", "caregiver_relation", "caregiver_hiv_status"]

    def __init__(self, *args, households=(), proposed_caregiver=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")]
        if proposed_caregiver is not None:
            choices.append(
                (
                    NEW_HOUSEHOLD,
                    _("A new household headed by %(name)s (proposed by the sender)")
                    % {"name": proposed_caregiver.full_name},
                )
            )
        self.fields["household"].choices = choices + [(str(pk), label) for pk, label in households]
        self.fields["first_enrolment"].initial = False

    def clean(self):
        data = super().clean()
        if data.get("household") == NEW_HOUSEHOLD and not data.get("caregiver_relation"):
            self.add_error("caregiver_relation", _("This field is required."))
        return data


class TransferReasonForm(forms.Form):
    """Why the receiver declines, or the sender withdraws."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
