"""Forms of case plans and services delivered: the coded choices of the domains' national
lists, grouped by domain (the services check that a code belongs to the chosen domain)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from case_apps.lists.data_ovc_plans import DOMAINS, plan_list
from case_apps.lists.selectors import list_choices_bulk
from case_apps.ovc.forms import DATE, _choices
from case_apps.ovc.models import CasePlanItem, ServiceRecord
from tenants.limits import max_length_of


def grouped_choices(kind: str, blank: bool = True):
    """The active codes of a kind's lists, one group per domain (read when the form is
    built, so the lists screen's changes show at once)."""

    def choices():
        lists = list_choices_bulk(["ovc_domain", *(plan_list(kind, d) for d in DOMAINS)])
        domains = dict(lists["ovc_domain"])
        groups = [
            (domains.get(domain, domain), lists[plan_list(kind, domain)])
            for domain in DOMAINS
            if lists[plan_list(kind, domain)]
        ]
        return ([("", "—")] if blank else []) + groups

    return choices


class CasePlanForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=_choices("ovc_domain"))
    enrolment = forms.TypedChoiceField(
        label=_("Child"), coerce=int, required=False, empty_value=None
    )
    goal = forms.ChoiceField(label=_("Goal"), choices=grouped_choices("ovc_cp_goal"))
    gap = forms.ChoiceField(label=_("Need / gap"), choices=grouped_choices("ovc_cp_gap"))
    priority = forms.ChoiceField(
        label=_("Priority action"), choices=grouped_choices("ovc_cp_priority"), required=False
    )
    services = forms.MultipleChoiceField(
        label=_("Services"),
        choices=grouped_choices("ovc_service", blank=False),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Services of the chosen domain; hold Ctrl to choose several."),
    )
    responsible = forms.ChoiceField(label=_("Responsible"), choices=_choices("ovc_responsible"))
    due_date = forms.DateField(label=_("Target date"), widget=DATE, required=False)

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].choices = [("", _("The whole household"))] + list(children)


class CasePlanCompleteForm(forms.Form):
    completed_on = forms.DateField(label=_("Date of the result"), widget=DATE)
    achieved = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Achieved")), ("0", _("Not achieved"))],
        coerce=lambda v: v == "1",
    )
    result_notes = forms.CharField(
        max_length=max_length_of(CasePlanItem, "result_notes"),
        label=_("Reason (when not achieved) / notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ServiceForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=_choices("ovc_domain"))
    service = forms.ChoiceField(label=_("Service"), choices=grouped_choices("ovc_service"))
    provider = forms.CharField(
        label=_("Provider"), max_length=max_length_of(ServiceRecord, "provider")
    )
    place = forms.CharField(
        label=_("Place"), max_length=max_length_of(ServiceRecord, "place"), required=False
    )
    date = forms.DateField(label=_("Date of service"), widget=DATE)


class ServicesReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)
    domain = forms.ChoiceField(label=_("Domain"), choices=_choices("ovc_domain"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end of the period is before its start."))
        return data
