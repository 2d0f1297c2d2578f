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


def domain_choices(kind: str, domain: str, blank: bool = True) -> list[tuple[str, str]]:
    """The active codes of one domain's list of a kind, flat."""
    items = list_choices_bulk([plan_list(kind, domain)])[plan_list(kind, domain)]
    return ([("", "—")] if blank else []) + items


class DomainNarrowing:
    """Choosing the domain narrows the coded fields to that domain's lists: the domain
    select asks the form again (htmx) with what was typed, and the coded fields then offer
    only the domain's codes (without a domain: every domain's codes, grouped). The
    services still refuse a code of another domain."""

    coded_fields: dict[str, tuple[str, bool]] = {}  # field -> (list kind, blank choice)

    def narrow(self, domain: str | None, url: str = "") -> None:
        if url:
            self.fields["domain"].widget.attrs.update(
                {
                    "hx-get": url,
                    "hx-trigger": "change",
                    "hx-target": "closest form",
                    "hx-select": "form.narrow-form",
                    "hx-swap": "outerHTML",
                    "hx-include": "closest form",
                    "hx-params": "not csrfmiddlewaretoken",
                }
            )
        if domain in DOMAINS:
            for name, (kind, blank) in self.coded_fields.items():
                self.fields[name].choices = domain_choices(kind, domain, blank)


def typed_so_far(query, multiple: tuple[str, ...] = ()) -> dict:
    """What the form held when the domain changed (the htmx request's query)."""
    return {
        key: query.getlist(key) if key in multiple else query.get(key)
        for key in query
        if key != "csrfmiddlewaretoken"
    }


class CasePlanForm(DomainNarrowing, forms.Form):
    coded_fields = {
        "goal": ("ovc_cp_goal", True),
        "gap": ("ovc_cp_gap", True),
        "priority": ("ovc_cp_priority", True),
        "services": ("ovc_service", False),
    }

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

    def __init__(self, *args, children=(), domain=None, url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].choices = [("", _("The whole household"))] + list(children)
        self.narrow(domain, url)


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


class ServiceForm(DomainNarrowing, forms.Form):
    coded_fields = {"service": ("ovc_service", True)}
    domain = forms.ChoiceField(label=_("Domain"), choices=_choices("ovc_domain"))
    service = forms.ChoiceField(label=_("Service"), choices=grouped_choices("ovc_service"))
    provider = forms.CharField(
        label=_("Provider"), max_length=max_length_of(ServiceRecord, "provider")
    )
    place = forms.CharField(
        label=_("Place"), max_length=max_length_of(ServiceRecord, "place"), required=False
    )
    date = forms.DateField(label=_("Date of service"), widget=DATE)

    def __init__(self, *args, domain=None, url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.narrow(domain, url)


class ServicesReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)
    domain = forms.ChoiceField(label=_("Domain"), choices=_choices("ovc_domain"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end of the period is before its start."))
        return data
