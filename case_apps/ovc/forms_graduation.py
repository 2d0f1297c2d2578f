"""Forms of the graduation pathway: input checks only; the rules live in
services_graduation.py and selectors_graduation.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from case_apps.ovc import scoring
from case_apps.ovc.models_graduation import BenchmarkMonitoring
from tenants.limits import max_length_of

DATE = forms.DateInput(attrs={"type": "date"})
MET, NOT_MET = "met", "not_met"
MET_CHOICES = [(MET, _("Met")), (NOT_MET, _("Not met"))]


class BenchmarkMonitoringForm(forms.Form):
    monitored_on = forms.DateField(label=_("Date of monitoring"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, (_domain, label) in scoring.BENCHMARKS.items():
            self.fields[f"benchmark_{number}"] = forms.ChoiceField(
                label=f"{number}. {label}", choices=MET_CHOICES, widget=forms.RadioSelect
            )
        self.fields["ready_for_exit"] = forms.BooleanField(
            label=_("Ready for exit (all nine benchmarks met)"), required=False
        )
        self.fields["closure_checked"] = forms.BooleanField(
            label=_("Closure checked (files complete, providers informed, head linked)"),
            required=False,
        )
        self.fields["notes"] = forms.CharField(
            max_length=max_length_of(BenchmarkMonitoring, "notes"),
            label=_("Notes"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    def service_arguments(self) -> dict:
        """What the service takes: the date, each benchmark met or not, the two checks."""
        data = self.cleaned_data
        return {
            "monitored_on": data["monitored_on"],
            "met": {n: data[f"benchmark_{n}"] == MET for n in scoring.BENCHMARKS},
            "ready_for_exit": data["ready_for_exit"],
            "closure_checked": data["closure_checked"],
            "notes": data["notes"],
        }


class PeriodForm(forms.Form):
    """A report's period (exit dates from and to); the selector checks it."""

    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("to"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].widget.attrs["aria-label"] = self.fields[name].label


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE)
    quarters = forms.TypedChoiceField(
        label=_("Quarters"),
        coerce=int,
        required=False,
        empty_value=4,
        choices=[(n, str(n)) for n in (4, 8, 12)],
    )
