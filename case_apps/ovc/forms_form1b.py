"""The Form 1B form: a service to a caregiver of the household, its choices narrowed to the
chosen domain's Form 1B list (like Form 1A's)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from case_apps.lists.data_ovc_plans import FORM1B_KIND
from case_apps.ovc.forms import DATE, _choices
from case_apps.ovc.forms_plans import DomainNarrowing, grouped_choices
from case_apps.ovc.models_form1b import HouseholdServiceRecord
from tenants.limits import max_length_of


class CaregiverServiceForm(DomainNarrowing, forms.Form):
    coded_fields = {"service": (FORM1B_KIND, True)}
    caregiver_id = forms.TypedChoiceField(label=_("Caregiver"), coerce=int)
    domain = forms.ChoiceField(label=_("Domain"), choices=_choices("ovc_domain"))
    service = forms.ChoiceField(label=_("Service"), choices=grouped_choices(FORM1B_KIND))
    provider = forms.CharField(
        label=_("Provider"), max_length=max_length_of(HouseholdServiceRecord, "provider")
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=max_length_of(HouseholdServiceRecord, "place"),
        required=False,
    )
    date = forms.DateField(label=_("Date of service"), widget=DATE)

    def __init__(self, *args, caregivers=(), domain=None, url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caregiver_id"].choices = list(caregivers)
        self.narrow(domain, url)
