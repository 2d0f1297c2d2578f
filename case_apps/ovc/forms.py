"""OVC forms: input checks only; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from case_apps.cases.forms_child import ChildSearchForm
from case_apps.lists.selectors import list_choices_bulk
from case_apps.ovc import codes, scoring
from case_apps.ovc.facility_widget import facility_field
from case_apps.ovc.models import Enrolment, HivManagementVisit, WellbeingAssessment
from shared_registry.places import (
    COUNTY_LABEL,
    SUB_COUNTY_LABEL,
    WARD_LABEL,
    PlacePickerMixin,
    place_field,
)
from shared_registry.services import OLDEST_AGE_YEARS
from tenants.limits import NOTES_MAX_LENGTH, max_length_of

DATE = forms.DateInput(attrs={"type": "date"})


CHILD_MEMBER_TYPES = ("TOVC", "TBVC")


def _choices(list_name: str, blank: bool = True, only=(), leave_out=()):
    """The active items of a national list, read when the form is built (so the lists
    screen's changes show at once)."""

    def choices() -> list[tuple[str, str]]:
        items = [
            (code, label)
            for code, label in list_choices_bulk([list_name])[list_name]
            if (not only or code in only) and code not in leave_out
        ]
        return ([("", "—")] if blank else []) + items

    return choices


class HouseholdForm(PlacePickerMixin, forms.Form):
    head_member_type = forms.ChoiceField(
        label=_("Caregiver's relation to the children"),
        choices=_choices("ovc_member_type", leave_out=CHILD_MEMBER_TYPES),
    )
    head_hiv_status = forms.ChoiceField(
        label=_("Caregiver's HIV status"), choices=_choices("ovc_hiv_status", blank=False)
    )
    county_code = place_field(COUNTY_LABEL)
    sub_county_code = place_field(SUB_COUNTY_LABEL)
    ward_code = place_field(WARD_LABEL)
    village = forms.CharField(label=_("Village / estate"), max_length=100, required=False)


class HouseholdAssignForm(forms.Form):
    officer = forms.TypedChoiceField(label=_("Officer who follows the household"), coerce=int)

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [("", "—")] + list(officers)


class PersonSearchForm(ChildSearchForm):
    """The registry search of the OVC forms: a caregiver may be old and known only by a
    year of birth (a grandmother born in 1936), so any year the registry accepts will do."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = self.fields["birth_year"]
        year.min_value = timezone.localdate().year - OLDEST_AGE_YEARS
        year.validators = [v for v in year.validators if not isinstance(v, MinValueValidator)] + [
            MinValueValidator(year.min_value)
        ]
        year.widget.attrs["min"] = year.min_value


class MemberForm(forms.Form):
    member_type = forms.ChoiceField(
        label=_("Member type / relation"), choices=_choices("ovc_member_type")
    )
    caregiver_ids = forms.TypedMultipleChoiceField(
        label=_("For a child: cared for by"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The head when none is chosen."),
    )
    alive = forms.BooleanField(label=_("Alive"), required=False, initial=True)
    death_cause = forms.ChoiceField(
        label=_("Cause of death"), choices=_choices("ovc_death_cause"), required=False
    )
    hiv_status = forms.ChoiceField(
        label=_("HIV status"), choices=_choices("ovc_hiv_status", blank=False)
    )

    def __init__(self, *args, caregivers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caregiver_ids"].choices = list(caregivers)


class CaregiversForm(forms.Form):
    caregiver_ids = forms.TypedMultipleChoiceField(
        label=_("Cared for by"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, caregivers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caregiver_ids"].choices = list(caregivers)


class EnrolmentForm(forms.Form):
    programme = forms.ChoiceField(
        label=_("Programme"), choices=_choices("ovc_programme", blank=False)
    )
    registration_date = forms.DateField(label=_("Registration date"), widget=DATE)
    first_enrolment = forms.BooleanField(label=_("First enrolment"), required=False, initial=True)
    entry_point = forms.ChoiceField(label=_("Entry point"), choices=_choices("ovc_entry_point"))
    eligibility = forms.MultipleChoiceField(
        label=_("Eligibility"),
        choices=_choices("ovc_eligibility", blank=False),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    hiv_status = forms.ChoiceField(label=_("HIV status"), choices=_choices("ovc_hiv_status"))
    art_status = forms.ChoiceField(
        label=_("ART"), choices=_choices("ovc_art_status"), required=False
    )
    facility = forms.CharField(label=_("ART facility"), max_length=200, required=False)
    ccc_number = forms.CharField(label=_("CCC number"), max_length=32, required=False)
    school_level = forms.ChoiceField(label=_("School level"), choices=_choices("ovc_school_level"))
    school_class = forms.CharField(label=_("Class"), max_length=32, required=False)
    birth_certificate = forms.BooleanField(label=_("Has a birth certificate"), required=False)
    disability = forms.BooleanField(label=_("Has a disability"), required=False)
    immunisation = forms.ChoiceField(
        label=_("Immunisation"), choices=_choices("ovc_immunisation"), required=False
    )


class EnrolForm(EnrolmentForm):
    """Enrolment with the members who care for the child (the head when none is chosen)."""

    caregiver_ids = forms.TypedMultipleChoiceField(
        label=_("Cared for by"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The head when none is chosen."),
    )

    def __init__(self, *args, caregivers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caregiver_ids"].choices = list(caregivers)


class CparaForm(forms.Form):
    assessed_on = forms.DateField(label=_("Date of assessment"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, (domain, label) in scoring.BENCHMARKS.items():
            self.fields[f"benchmark_{number}"] = forms.ChoiceField(
                label=f"{number}. {label}", choices=scoring.ANSWERS, widget=forms.RadioSelect
            )
            self.fields[f"benchmark_{number}"].domain = domain

    def answers(self) -> dict[int, str]:
        return {n: self.cleaned_data[f"benchmark_{n}"] for n in scoring.BENCHMARKS}


class ScreeningForm(forms.Form):
    screened_on = forms.DateField(label=_("Date of screening"), widget=DATE)
    status_known = forms.ChoiceField(
        label=_("Known HIV status"), choices=_choices("ovc_hiv_status")
    )
    tested_last_6_months = forms.BooleanField(
        label=_("Tested in the last 6 months"), required=False
    )
    risks = forms.MultipleChoiceField(
        label=_("Risk answers that are Yes"),
        choices=[(k, label) for k, label, _who in codes.RISK_QUESTIONS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consent_on = forms.DateField(label=_("Consent date"), widget=DATE, required=False)
    referred_on = forms.DateField(
        label=_("Referral for testing made on"), widget=DATE, required=False
    )
    test_facility = facility_field(_("Testing facility"))
    not_referred_reason = forms.CharField(
        label=_("Reason not referred"), max_length=200, required=False
    )


class ScreeningResultForm(forms.Form):
    referred_on = forms.DateField(label=_("Referral made on"), widget=DATE, required=False)
    test_facility = facility_field(_("Testing facility"))
    referral_completed_on = forms.DateField(label=_("Tested on"), widget=DATE)
    test_result = forms.ChoiceField(
        label=_("Result"), choices=_choices("ovc_hiv_status", only=("HSTP", "HSTN"))
    )
    art_referred_on = forms.DateField(label=_("ART referral made on"), widget=DATE, required=False)
    art_facility = facility_field(_("ART facility"))


class HivVisitForm(forms.Form):
    visit_date = forms.DateField(label=_("Visit date"), widget=DATE)
    current_regimen = forms.CharField(label=_("Current regimen"), max_length=100, required=False)
    adherence = forms.ChoiceField(label=_("Adherence"), choices=_choices("ovc_adherence"))
    viral_load = forms.IntegerField(label=_("Viral load (copies/ml)"), min_value=0, required=False)
    viral_load_date = forms.DateField(label=_("Viral load date"), widget=DATE, required=False)
    treatment_supporter = forms.CharField(
        label=_("Treatment supporter"), max_length=200, required=False
    )
    next_appointment = forms.DateField(label=_("Next appointment"), widget=DATE, required=False)
    notes = forms.CharField(
        max_length=max_length_of(HivManagementVisit, "notes"),
        label=_("Actions / notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExitForm(forms.Form):
    exit_reason = forms.ChoiceField(label=_("Exit reason"), choices=_choices("ovc_exit_reason"))
    exit_date = forms.DateField(label=_("Exit date"), widget=DATE)
    exit_notes = forms.CharField(
        max_length=max_length_of(Enrolment, "exit_notes"),
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # a transfer to a PEPFAR partner (ERFO) names the partner, chosen from the list
    receiver = forms.TypedChoiceField(
        label=_("Receiving partner (transfer to a PEPFAR partner)"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    transfer_note = forms.CharField(
        max_length=NOTES_MAX_LENGTH,
        label=_("Note for the receiving partner"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, receivers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"].choices = [("", "—")] + list(receivers)


class WellbeingForm(forms.Form):
    assessed_on = forms.DateField(label=_("Date of assessment"), widget=DATE)
    enrolment = forms.TypedChoiceField(
        label=_("Child"), coerce=int, required=False, empty_value=None
    )
    notes = forms.CharField(
        max_length=max_length_of(WellbeingAssessment, "notes"),
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, questions=(), children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].choices = [("", _("The whole household"))] + list(children)
        self.questions = list(questions)
        for key, domain, label in self.questions:
            field = forms.TypedChoiceField(
                label=label,
                choices=[("yes", _("Yes")), ("no", _("No"))],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
            )
            field.domain = domain
            self.fields[f"q_{key}"] = field

    def answers(self) -> dict[str, bool]:
        return {key: self.cleaned_data[f"q_{key}"] for key, _d, _l in self.questions}
