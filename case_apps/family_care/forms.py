"""Forms of the family care screens: the care record, a carer's relationship, a follow-up,
the end of care, the list's filters, and the discharge to family care with two carers."""

from __future__ import annotations

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from case_apps.cases.forms import BLANK, DATE, CodedForm
from case_apps.cases.forms_child import ChildSearchForm
from case_apps.family_care.models import (
    FAMILY_CARE_TYPES,
    AdoptionKind,
    AlternativeCare,
    CareFollowUp,
)
from shared_registry.services import OLDEST_AGE_YEARS
from tenants.limits import max_length_of

CARERS_ON_DISCHARGE = 2


def _text(model, name: str, label, *, textarea: bool = False, required: bool = False):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length_of(model, name),
        widget=forms.Textarea(attrs={"rows": 3}) if textarea else None,
    )


class CareFieldsForm(CodedForm):
    """What a care record says (care_type offers the family-based types only)."""

    coded_fields = {"care_type": "alternative_care_type"}
    care_type = forms.ChoiceField(label=_("Type of care"))
    adoption_kind = forms.ChoiceField(
        label=_("Kind of adoption (adoptions)"),
        required=False,
        choices=BLANK + AdoptionKind.choices,
    )
    certificate_number = _text(
        AlternativeCare, "certificate_number", _("Certificate number (required for foster care)")
    )
    certificate_expires_on = forms.DateField(
        label=_("Certificate expiry (required for foster care)"), required=False, widget=DATE
    )
    court_name = _text(AlternativeCare, "court_name", _("Court"))
    court_file_number = _text(AlternativeCare, "court_file_number", _("Court file number"))
    agency = _text(AlternativeCare, "agency", _("Agency (adoption society or office)"))
    notes = _text(AlternativeCare, "notes", _("Notes"), textarea=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["care_type"]
        field.choices = [(c, label) for c, label in field.choices if c in ("", *FAMILY_CARE_TYPES)]


class CareForm(CareFieldsForm):
    heading = _("Record family-based care")
    field_order = ["care_type", "adoption_kind", "started_on"]

    started_on = forms.DateField(label=_("Care began on"), widget=DATE)


class CarerRelationshipForm(CodedForm):
    heading = _("Add a carer")

    coded_fields = {"relationship_code": "caregiver_relationship"}
    relationship_code = forms.ChoiceField(label=_("Relationship to the child"))


class FollowUpForm(CodedForm):
    heading = _("Record a follow-up")

    coded_fields = {"kind": "family_care_follow_up", "wellbeing": "family_care_wellbeing"}
    kind = forms.ChoiceField(label=_("Follow-up"))
    visited_on = forms.DateField(label=_("Date"), widget=DATE)
    wellbeing = forms.ChoiceField(label=_("Child's wellbeing"))
    findings = _text(CareFollowUp, "findings", _("Findings"), textarea=True)
    next_visit_on = forms.DateField(label=_("Next visit due"), required=False, widget=DATE)


class CareEndForm(forms.Form):
    heading = _("End the care")

    ended_on = forms.DateField(label=_("Care ended on"), widget=DATE)
    notes = _text(AlternativeCare, "end_notes", _("Why the care ended"), textarea=True)


class CareFilterForm(CodedForm):
    coded_fields = {"care_type": "alternative_care_type"}
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    care_type = forms.ChoiceField(label=_("Type of care"), required=False)
    expiring = forms.BooleanField(label=_("Certificate expiring within 60 days"), required=False)
    ended = forms.BooleanField(label=_("Include care that has ended"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["care_type"]
        field.choices = [(c, label) for c, label in field.choices if c in ("", *FAMILY_CARE_TYPES)]


class PersonSearchForm(ChildSearchForm):
    """The registry search for a carer: any year of birth the registry accepts."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = self.fields["birth_year"]
        year.min_value = timezone.localdate().year - OLDEST_AGE_YEARS
        year.validators = [v for v in year.validators if not isinstance(v, MinValueValidator)] + [
            MinValueValidator(year.min_value)
        ]
        year.widget.attrs["min"] = year.min_value


class CarerSlotForm(PersonSearchForm):
    """One carer on the discharge form (prefix ``carer1``, ``carer2``): the names to search
    the registry, then the person chosen (``choice``: "<id>:<ref>") or "new" to register,
    and the relationship. Left empty, the slot adds nobody."""

    choice = forms.CharField(required=False, widget=forms.HiddenInput, max_length=400)
    relationship_code = forms.ChoiceField(label=_("Relationship to the child"), required=False)
    registered_anyway_reason = forms.CharField(
        label=_("Why this is a different person (when the registry holds someone similar)"),
        required=False,
        max_length=1000,
    )

    def __init__(self, *args, relationships=(), **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["relationship_code"].choices = BLANK + list(relationships)

    def is_used(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("first_name", "surname", "choice"))

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in ("first_name", "surname", "choice")):
            return data
        chosen = (data.get("choice") or "").partition(":")[0].isdigit()
        for name in ("first_name", "surname", "sex"):
            if not data.get(name) and not chosen:
                self.add_error(name, _("This field is required."))
        if not data.get("relationship_code"):
            self.add_error("relationship_code", _("This field is required."))
        return data


class DischargeToCareForm(CareFieldsForm):
    heading = _("Discharge to family-based care")
    field_order = ["discharged_on", "discharge_type", "care_type", "adoption_kind"]

    coded_fields = {"care_type": "alternative_care_type", "discharge_type": "discharge_type"}
    discharged_on = forms.DateField(label=_("Date of discharge (care begins)"), widget=DATE)
    discharge_type = forms.ChoiceField(label=_("Discharge type"), required=False)
