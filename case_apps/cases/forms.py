"""Forms of the case screens; choices come from the national lists in one query per form."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from case_apps.cases.models import (
    ApprovalRequest,
    CaseEvent,
    CasePlan,
    CaseRecord,
    FollowUp,
    HowReported,
    Referral,
)
from case_apps.cases.services.common import REASON_MAX_LENGTH, REASON_MIN_LENGTH
from case_apps.lists.selectors import list_choices_bulk
from shared_registry.places import (
    COUNTY_LABEL,
    SUB_COUNTY_LABEL,
    WARD_LABEL,
    PlacePickerMixin,
    place_field,
)
from tenants.limits import NOTES_MAX_LENGTH, max_length_of

DATE = forms.DateInput(attrs={"type": "date"})
BLANK = [("", "—")]


class CodedForm(forms.Form):
    """A form whose ``coded_fields`` (field -> list name) get their choices from the lists."""

    coded_fields: dict[str, str] = {}

    def __init__(self, *args, choices: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = (
            choices if choices is not None else list_choices_bulk(set(self.coded_fields.values()))
        )
        for name, list_name in self.coded_fields.items():
            field = self.fields[name]
            options = list(choices.get(list_name, []))
            if isinstance(field, forms.MultipleChoiceField):
                field.choices = options
            else:
                field.choices = BLANK + options


class PlaceGroupsMixin(PlacePickerMixin):
    """Cascading county / sub-county / ward pickers for several places of one form (where it
    happened, where the child lives): each group is set up and checked as its own picker."""

    place_groups: tuple[tuple[str, str | None, str | None], ...] = ()

    def _places_setup(self) -> None:
        for group in self.place_groups:
            self.place_fields = group
            super()._places_setup()

    def clean(self):
        cleaned = self.cleaned_data
        for group in self.place_groups:
            self.place_fields = group
            cleaned = super().clean()
        return cleaned


class CaseRecordForm(PlaceGroupsMixin, CodedForm):
    place_groups = (
        ("occurrence_county_code", "occurrence_sub_county_code", "occurrence_ward_code"),
        ("residence_county_code", "residence_sub_county_code", "residence_ward_code"),
    )
    coded_fields = {
        "reporter_type": "reporter_type",
        "risk_level": "risk_level",
        "immediate_needs": "immediate_need",
        "long_term_needs": "long_term_need",
        "intake_intervention": "intervention",
    }
    date_reported = forms.DateField(label=_("Date reported"), widget=DATE)
    how_reported = forms.ChoiceField(label=_("How reported"), choices=BLANK + HowReported.choices)
    reporter_type = forms.ChoiceField(label=_("Reporter"))
    reporter_name = forms.CharField(label=_("Reporter's name"), required=False, max_length=200)
    reporter_phone = forms.CharField(label=_("Reporter's phone"), required=False, max_length=32)
    reporter_relationship = forms.CharField(
        label=_("Reporter's relationship to the child"), required=False, max_length=100
    )
    occurrence_county_code = place_field(COUNTY_LABEL)
    occurrence_sub_county_code = place_field(SUB_COUNTY_LABEL)
    occurrence_ward_code = place_field(WARD_LABEL)
    occurrence_village = forms.CharField(
        label=_("Village / estate"), required=False, max_length=100
    )
    residence_county_code = place_field(COUNTY_LABEL)
    residence_sub_county_code = place_field(SUB_COUNTY_LABEL)
    residence_ward_code = place_field(WARD_LABEL)
    residence_village = forms.CharField(label=_("Village / estate"), required=False, max_length=100)
    police_station = forms.CharField(
        label=_("Police station"),
        required=False,
        max_length=max_length_of(CaseRecord, "police_station"),
    )
    ob_number = forms.CharField(
        label=_("OB number"), required=False, max_length=max_length_of(CaseRecord, "ob_number")
    )
    court_name = forms.CharField(
        label=_("Court"), required=False, max_length=max_length_of(CaseRecord, "court_name")
    )
    court_file_number = forms.CharField(
        label=_("Court file number"),
        required=False,
        max_length=max_length_of(CaseRecord, "court_file_number"),
    )
    summons_issued = forms.BooleanField(label=_("Summons issued"), required=False)
    summons_issued_on = forms.DateField(label=_("Summons issued on"), required=False, widget=DATE)
    risk_level = forms.ChoiceField(label=_("Risk level"))
    is_emergency = forms.BooleanField(label=_("Emergency"), required=False)
    immediate_needs = forms.MultipleChoiceField(
        label=_("Immediate needs"), required=False, widget=forms.CheckboxSelectMultiple
    )
    long_term_needs = forms.MultipleChoiceField(
        label=_("Long-term needs"), required=False, widget=forms.CheckboxSelectMultiple
    )
    intake_intervention = forms.ChoiceField(label=_("Intervention at intake"), required=False)
    narrative = forms.CharField(
        max_length=max_length_of(CaseRecord, "narrative"),
        label=_("Case narrative"),
        required=False,
        widget=forms.Textarea,
    )


class CategoryForm(CodedForm):
    """One case category; its sub-categories are grouped under their category's name."""

    coded_fields = {
        "category_code": "case_category",
        "sub_category_codes": "case_sub_category",
        "place_of_event": "place_of_event",
        "nature": "case_nature",
    }
    category_code = forms.ChoiceField(label=_("Case category"), required=False)
    sub_category_codes = forms.MultipleChoiceField(label=_("Sub-categories"), required=False)
    date_of_event = forms.DateField(label=_("Date of event"), required=False, widget=DATE)
    place_of_event = forms.ChoiceField(label=_("Place of event"), required=False)
    nature = forms.ChoiceField(label=_("Nature"), required=False)

    def __init__(self, *args, sub_categories: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if sub_categories is not None:
            labels = dict(self.fields["category_code"].choices)
            self.fields["sub_category_codes"].choices = [
                (labels.get(code, code), options) for code, options in sub_categories.items()
            ]
        # places.js shows only the chosen category's group (all groups without JavaScript)
        self.fields["category_code"].widget.attrs["data-narrows"] = self[
            "sub_category_codes"
        ].auto_id
        self.sub_categories = sub_categories or {}

    def clean(self):
        cleaned = super().clean()
        category, subs = cleaned.get("category_code"), cleaned.get("sub_category_codes") or []
        if category and subs and self.sub_categories:
            allowed = {code for code, _label in self.sub_categories.get(category, [])}
            if any(code not in allowed for code in subs):
                self.add_error(
                    "sub_category_codes",
                    _("Choose sub-categories of the chosen case category only."),
                )
        return cleaned


class PerpetratorForm(CodedForm):
    coded_fields = {"status": "perpetrator_status", "relationship_code": "perpetrator_relationship"}
    status = forms.ChoiceField(label=_("Perpetrator"), required=False)
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=BLANK + [("SMAL", _("Male")), ("SFEM", _("Female")), ("SINT", _("Intersex"))],
    )
    relationship_code = forms.ChoiceField(label=_("Relationship to the child"), required=False)


CategoryFormSet = formset_factory(CategoryForm, extra=3, max_num=10)
PerpetratorFormSet = formset_factory(PerpetratorForm, extra=2, max_num=10)


class FollowUpForm(CodedForm):
    """A service, visit or other follow-up. Court sessions and summons have their own forms
    (case_apps/cases/forms_court.py), so their types are not offered here."""

    coded_fields = {"follow_up_type": "follow_up_type"}
    follow_up_type = forms.ChoiceField(label=_("Type of follow-up"))
    date = forms.DateField(label=_("Date"), widget=DATE)
    notes = forms.CharField(
        max_length=max_length_of(FollowUp, "notes"),
        label=_("Notes"),
        required=False,
        widget=forms.Textarea,
    )

    def __init__(self, *args, **kwargs):
        from case_apps.cases.services.follow_ups import COURT_FOLLOW_UP_TYPES

        super().__init__(*args, **kwargs)
        field = self.fields["follow_up_type"]
        field.choices = [c for c in field.choices if c[0] not in COURT_FOLLOW_UP_TYPES]


class ReferralForm(CodedForm):
    heading = _("Refer the child to a service outside the platform (police, hospital, court...)")

    coded_fields = {
        "actor": "referral_actor",
        "destination": "referral_destination",
        "reasons": "referral_reason",
    }
    actor = forms.ChoiceField(label=_("Actor"))
    destination = forms.ChoiceField(label=_("Referred to"))
    destination_name = forms.CharField(
        max_length=max_length_of(Referral, "destination_name"),
        label=_("Name of the receiving actor"),
        required=False,
    )
    reasons = forms.MultipleChoiceField(
        label=_("Reasons"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One or more: one hospital for both a medical examination and PEP."),
    )
    referred_on = forms.DateField(label=_("Referred on"), widget=DATE)


class ReferralSheetFieldsForm(CodedForm):
    """The case record sheet's fields of a referral to an organisation on the platform (the
    send form of case_apps/cases/views_transfers.py adds them to sharing's own)."""

    coded_fields = {
        "actor": "referral_actor",
        "destination": "referral_destination",
        "reasons": "referral_reason",
    }
    actor = forms.ChoiceField(label=_("Actor"), required=False)
    destination = forms.ChoiceField(label=_("Referred to"), required=False)
    reasons = forms.MultipleChoiceField(
        label=_("Reasons"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("For a referral: one or more reasons of the case record sheet."),
    )
    share_phone = forms.BooleanField(
        label=_("Give the receiver my work phone"),
        required=False,
        help_text=_("Your name is always shown to the receiver; your e-mail never is."),
    )


class ReferralOutcomeForm(forms.Form):
    heading = _("Record the outcome of a referral")

    completed = forms.BooleanField(label=_("The referral was completed"), required=False)
    completed_on = forms.DateField(label=_("Date"), widget=DATE)
    outcome = forms.CharField(
        max_length=max_length_of(Referral, "outcome"), label=_("Outcome"), widget=forms.Textarea
    )


class PlacementForm(CodedForm):
    heading = _("Record a placement or alternative care")

    coded_fields = {
        "care_type": "alternative_care_type",
        "admission_type": "admission_type",
        "admission_reason": "admission_reason",
    }
    care_type = forms.ChoiceField(label=_("Type of care"))
    placed_with = forms.CharField(label=_("Institution or family"), max_length=200)
    admission_number = forms.CharField(label=_("Admission number"), required=False, max_length=64)
    admitted_on = forms.DateField(label=_("Admitted / placed on"), widget=DATE)
    admission_type = forms.ChoiceField(label=_("Admission type"), required=False)
    admission_reason = forms.ChoiceField(label=_("Admission reason"), required=False)
    committal_order_number = forms.CharField(
        label=_("Committal order number"), required=False, max_length=64
    )
    expected_exit_on = forms.DateField(label=_("Expected exit"), required=False, widget=DATE)


class CasePlanForm(forms.Form):
    heading = _("Case plan")

    needs = forms.CharField(
        max_length=max_length_of(CasePlan, "needs"),
        label=_("Needs"),
        required=False,
        widget=forms.Textarea,
    )
    goals = forms.CharField(
        max_length=max_length_of(CasePlan, "goals"), label=_("Goals"), widget=forms.Textarea
    )
    services = forms.CharField(
        max_length=max_length_of(CasePlan, "services"),
        label=_("Services and actions"),
        widget=forms.Textarea,
    )
    responsible = forms.CharField(label=_("Responsible"), max_length=200)
    due_on = forms.DateField(label=_("Due date"), widget=DATE)


class ClosureRequestForm(CodedForm):
    """The closure request: reason, the day the case closed, the final intervention of each
    of the case's ``categories`` (one field ``final_<category id>`` each)."""

    heading = _("Ask to close the case")

    coded_fields = {"closure_reason": "closure_reason"}
    closure_reason = forms.ChoiceField(label=_("Reason for closure"))
    closed_on = forms.DateField(label=_("Closure date"), widget=DATE)
    notes = forms.CharField(
        max_length=max_length_of(ApprovalRequest, "notes"),
        label=_("Why the case can be closed"),
        widget=forms.Textarea,
    )

    def __init__(self, *args, categories=(), labels=None, **kwargs):
        self.coded_fields = dict(self.coded_fields)
        self.categories = list(categories)
        for category in self.categories:
            self.coded_fields[f"final_{category.pk}"] = "intervention"
        extra = {
            f"final_{c.pk}": forms.ChoiceField(
                label=_("Final intervention: %(category)s")
                % {"category": labels.of("case_category", c.category_code) if labels else c},
            )
            for c in self.categories
        }
        self.base_fields = {**self.base_fields, **extra}
        super().__init__(*args, **kwargs)

    def service_arguments(self) -> dict:
        """What the closure service takes (closure_request in
        case_apps/cases/services/approvals.py)."""
        from case_apps.cases.services.interventions import FinalIntervention

        data = self.cleaned_data
        return {
            "closure_reason": data["closure_reason"],
            "notes": data["notes"],
            "closed_on": data["closed_on"],
            "final_interventions": [
                FinalIntervention(c.pk, data[f"final_{c.pk}"]) for c in self.categories
            ],
        }


class InterventionForm(CodedForm):
    heading = _("Record an intervention")

    coded_fields = {"intervention_code": "intervention"}
    category_id = forms.TypedChoiceField(label=_("Case category"), coerce=int)
    intervention_code = forms.ChoiceField(label=_("Intervention"))
    date = forms.DateField(label=_("Date"), widget=DATE)
    notes = forms.CharField(
        max_length=NOTES_MAX_LENGTH, label=_("Notes"), required=False, widget=forms.Textarea
    )

    def __init__(self, *args, categories=(), labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category_id"].choices = BLANK + [
            (c.pk, labels.of("case_category", c.category_code) if labels else c.category_code)
            for c in categories
        ]


class ReopeningRequestForm(forms.Form):
    heading = _("Ask to reopen the case")

    reopened_on = forms.DateField(label=_("Reopened on"), widget=DATE)
    reason = forms.CharField(
        max_length=max_length_of(ApprovalRequest, "notes"),
        label=_("Why the case is reopened"),
        widget=forms.Textarea,
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Send back"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        max_length=max_length_of(ApprovalRequest, "decision_reason"),
        label=_("Reason"),
        required=False,
        widget=forms.Textarea,
    )


class ReassignForm(forms.Form):
    heading = _("Move the case to another officer")

    officer = forms.TypedChoiceField(label=_("New officer"), coerce=int)
    reason = forms.CharField(
        max_length=max_length_of(CaseEvent, "reason"), label=_("Reason"), widget=forms.Textarea
    )

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [(u.pk, str(u)) for u in officers]


class AttachmentForm(forms.Form):
    heading = _("Attach a document")

    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))


class BursaryForm(CodedForm):
    """A bursary already awarded (CDF, USG, bank...); a Presidential bursary goes through its
    application and approval chain (forms_bursary.py), so it is not offered here."""

    heading = _("Record a bursary")
    coded_fields = {"bursary_type": "bursary_type"}

    bursary_type = forms.ChoiceField(label=_("Bursary"))

    amount_kes = forms.DecimalField(label=_("Amount (KES)"), max_digits=10, decimal_places=2)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    term = forms.TypedChoiceField(
        label=_("Term"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=BLANK + [(1, "1"), (2, "2"), (3, "3")],
    )
    awarded_on = forms.DateField(label=_("Awarded on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["bursary_type"]
        field.choices = [(code, label) for code, label in field.choices if code != "BPRE"]


class RecordRemovalForm(forms.Form):
    """Remove a follow-up, referral or placement recorded by mistake: the reason is kept in
    the case's history (a supervisor's action)."""

    reason = forms.CharField(
        label=_("Why is this record removed?"),
        min_length=REASON_MIN_LENGTH,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: typed twice from the same form, or recorded on the wrong case. "
            "The record leaves the case and the national figures; the case's history keeps "
            "what it was, who removed it, when and why."
        ),
    )

    def __init__(self, *args, what: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.heading = _("Remove: %(what)s") % {"what": what}


class FollowUpDateForm(forms.Form):
    """Correct the date of a follow-up typed wrong from the paper form."""

    heading = _("Correct the date of a follow-up")

    date = forms.DateField(label=_("Date of the follow-up"), widget=DATE)
