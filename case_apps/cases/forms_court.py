"""Forms of the court screens: a court session with an order, a summons, serving and
honouring it, and the filters of the court lists."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from case_apps.cases.forms import BLANK, DATE, CodedForm
from case_apps.cases.models_court import CourtSession, Summons, SummonsStatus
from case_apps.cases.selectors_court import COUNTY, MINE, ORGANISATION
from shared_registry.places import COUNTY_LABEL, PlacePickerMixin, place_field
from tenants.limits import max_length_of

TIME = forms.TimeInput(attrs={"type": "time"})


class CourtSessionForm(CodedForm):
    heading = _("Record a court session")

    coded_fields = {
        "session_type": "court_session_type",
        "plea": "court_plea",
        "application_outcome": "court_application_outcome",
        "outcome": "court_outcome",
        "adjournment_reason": "adjournment_reason",
        "order_code": "court_order",
    }
    session_date = forms.DateField(label=_("Date of the session"), widget=DATE)
    court_name = forms.CharField(label=_("Court"), max_length=200)
    court_file_number = forms.CharField(label=_("Court file number"), required=False, max_length=64)
    session_type = forms.ChoiceField(label=_("Session"))
    plea = forms.ChoiceField(label=_("Plea (plea sessions)"), required=False)
    application_outcome = forms.ChoiceField(
        label=_("Application outcome (applications)"), required=False
    )
    outcome = forms.ChoiceField(label=_("Outcome"))
    adjournment_reason = forms.ChoiceField(label=_("Adjourned for"), required=False)
    next_court_date = forms.DateField(label=_("Next court date"), required=False, widget=DATE)
    order_code = forms.ChoiceField(label=_("Court order made"), required=False)
    order_starts_on = forms.DateField(
        label=_("Order in force from"),
        required=False,
        widget=DATE,
        help_text=_("The session date when left empty."),
    )
    order_ends_on = forms.DateField(
        label=_("Order in force until"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty when the order has no end date."),
    )
    notes = forms.CharField(
        max_length=max_length_of(CourtSession, "notes"),
        label=_("Notes"),
        required=False,
        widget=forms.Textarea,
    )


class SummonsForm(forms.Form):
    heading = _("Issue a summons")

    person_name = forms.CharField(label=_("Person summoned"), max_length=200)
    person_role = forms.CharField(
        label=_("Relationship to the child or role"), required=False, max_length=100
    )
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE)
    appear_on = forms.DateField(label=_("Date to appear"), widget=DATE)
    appear_at = forms.TimeField(label=_("Time to appear"), required=False, widget=TIME)
    place = forms.CharField(label=_("Place to appear"), max_length=200)
    notes = forms.CharField(
        max_length=max_length_of(Summons, "notes"),
        label=_("Notes"),
        required=False,
        widget=forms.Textarea,
    )


class SummonsServeForm(forms.Form):
    heading = _("Record that the summons was served")

    served_on = forms.DateField(label=_("Served on"), widget=DATE)


class SummonsHonourForm(forms.Form):
    heading = _("Record whether the summons was honoured")

    honoured = forms.TypedChoiceField(
        label=_("Did the person come?"),
        choices=[("yes", _("Yes, honoured")), ("no", _("No, not honoured"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    honoured_on = forms.DateField(label=_("Honoured on"), required=False, widget=DATE)


class CourtOrderEndForm(forms.Form):
    heading = _("Record the day a court order ends")

    ends_on = forms.DateField(
        label=_("In force until"),
        widget=DATE,
        help_text=_("The last day of the order: its expiry, or the day it was revoked."),
    )


class CourtFilterForm(PlacePickerMixin, CodedForm):
    """The filters of the court lists (dates, orders, summons)."""

    place_fields = ("county", None, None)
    coded_fields = {"order_code": "court_order"}
    scope = forms.ChoiceField(
        label=_("Whose"),
        required=False,
        choices=[
            (ORGANISATION, _("Organisation")),
            (MINE, _("My cases")),
            (COUNTY, _("By county")),
        ],
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    court = forms.CharField(label=_("Court or place"), required=False, max_length=100)
    county = place_field(COUNTY_LABEL)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("to"), required=False, widget=DATE)
    order_code = forms.ChoiceField(label=_("Order"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=BLANK + SummonsStatus.choices
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        county = self.fields["county"].widget
        county.choices = [("", _("Any county")), *county.choices[1:]]
        county.attrs["aria-label"] = COUNTY_LABEL
