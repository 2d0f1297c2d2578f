"""Forms of vacancy applications: the office's application and withdrawal, DCS
headquarters' confirmation and decline. The services check everything again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sharing.models_vacancies import (
    MONTHS_MAX,
    InstitutionType,
    VacancyApplication,
    VacancyStatus,
)
from sharing.selectors_vacancies import institution_choices, institution_type_of
from tenants.limits import NOTES_MAX_LENGTH, max_length_of

DATE = forms.DateInput(attrs={"type": "date"})
BLANK = [("", "—")]


class VacancyApplyForm(forms.Form):
    heading = _("Apply for a vacancy in a statutory institution")

    court_number = forms.CharField(
        label=_("Court file number"), max_length=max_length_of(VacancyApplication, "court_number")
    )
    judge = forms.CharField(
        label=_("Judge or magistrate"), max_length=max_length_of(VacancyApplication, "judge")
    )
    court = forms.CharField(
        label=_("Where held (court)"), max_length=max_length_of(VacancyApplication, "court")
    )
    next_mention_on = forms.DateField(label=_("Next mention date"), widget=DATE)
    institution_type = forms.ChoiceField(
        label=_("Institution type wanted"), choices=BLANK + list(InstitutionType.choices)
    )
    notes = forms.CharField(
        label=_("Reason and notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VacancyReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=NOTES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class VacancyConfirmForm(forms.Form):
    institution = forms.TypedChoiceField(label=_("Institution"), coerce=int)
    months_approved = forms.IntegerField(
        label=_("Months approved"), min_value=1, max_value=MONTHS_MAX
    )
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DATE)
    any_type = forms.BooleanField(
        label=_("Another type of institution is acceptable"), required=False
    )
    reason = forms.CharField(
        label=_("Notes for the office and the institution"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, wanted: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(InstitutionType.choices)
        self.fields["institution"].choices = BLANK + [
            (o.pk, f"{o.name} ({labels.get(institution_type_of(o), _('type not recorded'))})")
            for o in institution_choices(wanted=wanted)
        ]


class VacancyDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DATE)


class VacancyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status"))] + VacancyStatus.choices
    )
