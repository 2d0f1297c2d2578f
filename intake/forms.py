"""Forms of the intake queue: the office's typed report, its decisions and the queue's
search; DCS headquarters' clients and routing by hand. The services check everything again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from case_apps.lists.selectors import list_choices_bulk
from intake.models import (
    NAME_MAX_LENGTH,
    NARRATIVE_MAX_LENGTH,
    ChildSex,
    IntakeStatus,
    SourceKind,
    Urgency,
)
from tenants.limits import NOTES_MAX_LENGTH

DATE = forms.DateInput(attrs={"type": "date"})
BLANK = [("", "—")]


def _name(label, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, max_length=NAME_MAX_LENGTH, required=required)


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or reference")}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", _("Waiting")), *IntakeStatus.choices, ("all", _("All"))],
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class ReportTypeForm(forms.Form):
    """A report an officer types (a call or a visit to the office)."""

    source_kind = forms.ChoiceField(label=_("Source"), choices=BLANK + list(SourceKind.choices))
    reported_on = forms.DateField(label=_("Date reported"), widget=DATE)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    category_code = forms.ChoiceField(label=_("Case category"))
    narrative = forms.CharField(
        label=_("What was reported"),
        max_length=NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    child_first_name = _name(_("Child's first name"), True)
    child_other_names = _name(_("Child's other names"))
    child_surname = _name(_("Child's surname"), True)
    child_sex = forms.ChoiceField(label=_("Child's sex"), choices=BLANK + list(ChildSex.choices))
    child_age = forms.IntegerField(
        label=_("Child's age"), required=False, min_value=0, max_value=17
    )
    child_date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    reporter_name = _name(_("Reporter's name"))
    reporter_phone = forms.CharField(label=_("Reporter's phone"), max_length=32, required=False)
    reporter_relationship = _name(_("Reporter's relationship to the child"))
    county_code = forms.CharField(label=_("County code"), max_length=3, required=False)
    sub_county_code = forms.CharField(label=_("Sub-county code"), max_length=4, required=False)
    ward_code = forms.CharField(label=_("Ward code"), max_length=5, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = list_choices_bulk(["case_category"]).get("case_category", [])
        self.fields["category_code"].choices = BLANK + list(categories)


class AcceptForm(forms.Form):
    person = forms.ChoiceField(label=_("The child in the registry"))
    risk_level = forms.ChoiceField(label=_("Risk level"))
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DATE)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [
            *[
                (str(c.person.pk), f"{c.person.full_name} ({c.person.cpims_id})")
                for c in candidates
            ],
            ("new", _("None of these: register the child from the report")),
        ]
        levels = list_choices_bulk(["risk_level"]).get("risk_level", [])
        self.fields["risk_level"].choices = BLANK + list(levels)


class ForwardForm(forms.Form):
    office = forms.TypedChoiceField(label=_("Office"), coerce=int)
    reason = forms.CharField(
        label=_("Reason"), max_length=NOTES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DATE)

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = BLANK + [(o.pk, o.name) for o in offices]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=NOTES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DATE)


class ClientForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    source_kind = forms.ChoiceField(label=_("Source"), choices=BLANK + list(SourceKind.choices))
    callback_url = forms.URLField(
        label=_("Callback URL for outcomes (optional)"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )


class RouteForm(forms.Form):
    office = forms.TypedChoiceField(label=_("Office"), coerce=int)

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = BLANK + [(o.pk, o.name) for o in offices]
