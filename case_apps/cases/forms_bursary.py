"""Forms of the bursary screens: an application, a step of its chain, the list's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from case_apps.cases.forms import BLANK, DATE, CodedForm
from case_apps.cases.models_bursary import (
    BursaryStatus,
    BursaryStepKind,
    ParentsStatus,
    bursary_chain,
)
from tenants.limits import NOTES_MAX_LENGTH

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
MONEY = {"max_digits": 10, "decimal_places": 2}


class BursaryApplicationForm(CodedForm):
    heading = _("Apply for a bursary")
    coded_fields = {"bursary_type": "bursary_type"}

    bursary_type = forms.ChoiceField(label=_("Bursary"))
    year = forms.IntegerField(label=_("School year"), min_value=2000, max_value=2100)
    school_code = forms.CharField(
        label=_("School's NEMIS code"),
        max_length=20,
        required=False,
        help_text=_(
            "From the national schools registry: the school's name is then the registry's. "
            "Leave it blank and name the school when it is not in the registry."
        ),
    )
    school_name = forms.CharField(label=_("School"), max_length=200, required=False)
    nemis_upi = forms.CharField(
        label=_("NEMIS UPI"),
        max_length=20,
        required=False,
        help_text=_("The learner's unique personal identifier in NEMIS."),
    )
    class_level = forms.CharField(label=_("Class / form"), max_length=32)
    annual_fees_kes = forms.DecimalField(label=_("Annual fees (KES)"), **MONEY)
    fee_balance_kes = forms.DecimalField(label=_("Fee balance (KES)"), **MONEY)
    parents_status = forms.ChoiceField(
        label=_("Parents' status"), choices=BLANK + list(ParentsStatus.choices)
    )
    family_situation = forms.CharField(
        label=_("Family situation"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    applied_on = forms.DateField(label=_("Applied on"), widget=DATE)


def _yes(value: str) -> bool:
    return value == "yes"


# Per step: the signatory's label, the question, the date's label.
STEP_WORDING = {
    BursaryStepKind.PRINCIPAL: (
        _("Principal's name"),
        _("Does the principal recommend the application?"),
        _("Date of the recommendation"),
    ),
    BursaryStepKind.CHIEF: (
        _("Chief's or sub-chief's name"),
        _("Does the chief recommend the application?"),
        _("Date of the recommendation"),
    ),
    BursaryStepKind.SUB_COUNTY: (
        "",
        _("Do you sign off the application?"),
        _("Date of the sign-off"),
    ),
    BursaryStepKind.COMMITTEE: (
        _("Chair's name"),
        _("Did the committee approve the application?"),
        _("Date of the approval"),
    ),
}


class BursaryStepForm(forms.Form):
    """One step of an application's chain; its fields and wording follow the step."""

    signatory_name = forms.CharField(max_length=200)
    recommended = forms.TypedChoiceField(
        choices=YES_NO, coerce=_yes, widget=forms.RadioSelect, empty_value=None
    )
    approved_amount_kes = forms.DecimalField(
        label=_("Approved amount (KES)"), required=False, **MONEY
    )
    on = forms.DateField(widget=DATE)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, step: str, bursary_type: str, heading: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.heading = heading
        name, question, when = STEP_WORDING[step]
        if step == BursaryStepKind.COMMITTEE and bursary_type not in ("BPRE",):
            name, question = _("Name of who approved it"), _("Was the application approved?")
        if name:
            self.fields["signatory_name"].label = name
        else:  # the sign-off is the acting member's own
            del self.fields["signatory_name"]
        self.fields["recommended"].label = question
        self.fields["on"].label = when
        if step != bursary_chain(bursary_type)[-1]:
            del self.fields["approved_amount_kes"]
        else:
            self.fields["approved_amount_kes"].help_text = _("Only when it is approved.")


class BursaryFilterForm(CodedForm):
    coded_fields = {"bursary_type": "bursary_type"}

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=BLANK + list(BursaryStatus.choices)
    )
    bursary_type = forms.ChoiceField(label=_("Bursary"), required=False)
    school = forms.CharField(label=_("School"), required=False, max_length=200)
    year = forms.IntegerField(
        label=_("School year"), required=False, min_value=2000, max_value=2100
    )
