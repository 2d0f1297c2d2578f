"""Forms of the integrations console: what DCS headquarters types, checked for shape; the
services decide the rest."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from integrations.services_dhis2 import PUSHED_REPORTS

KEEP_STORED = _("Leave empty to keep the stored one.")


def secret_field(label, help_text=KEEP_STORED) -> forms.CharField:
    """A password, key or client secret: never shown back, blank keeps the stored one."""
    return forms.CharField(
        label=label,
        max_length=500,
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=help_text,
    )


class Dhis2ConnectionForm(forms.Form):
    base_url = forms.CharField(label=_("DHIS2 address"), max_length=300)
    username = forms.CharField(label=_("User name"), max_length=150)
    password = secret_field(_("Password"), _("Leave empty to keep the stored password."))
    timeout_seconds = forms.IntegerField(label=_("Timeout (seconds)"), min_value=1, max_value=300)
    enabled = forms.BooleanField(label=_("Push enabled"), required=False)


def _month(value: str) -> date:
    try:
        year, month = (int(part) for part in value.split("-")[:2])
        return date(year, month, 1)
    except (ValueError, TypeError):
        raise forms.ValidationError(_("Enter a month as YYYY-MM.")) from None


class MonthField(forms.Field):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM", "maxlength": 7})

    def to_python(self, value):
        value = (value or "").strip()[:20]
        return _month(value) if value else None


class Dhis2PushForm(forms.Form):
    report = forms.ChoiceField(label=_("Report"))
    month_from = MonthField(label=_("From month"))
    month_to = MonthField(label=_("To month"))
    county = forms.ChoiceField(label=_("County"), required=False)
    dry_run = forms.BooleanField(
        label=_("Dry run: DHIS2 checks the values and imports nothing"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, report_titles: dict[str, str], counties: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = [(k, report_titles.get(k, k)) for k in PUSHED_REPORTS]
        self.fields["county"].choices = [("", _("Kenya (national)")), *counties]

    def clean(self):
        data = super().clean()
        first, last = data.get("month_from"), data.get("month_to")
        if first and last and last < first:
            self.add_error("month_to", _("The last month cannot be before the first."))
        return data


class ReferenceSourceForm(forms.Form):
    """A directory's connection; the prefix (kmhfl or nemis) keeps the two forms apart."""

    base_url = forms.CharField(label=_("Address"), max_length=300)
    username = forms.CharField(label=_("User name"), max_length=150, required=False)
    secret = secret_field(_("Password or API key"))
    client_id = forms.CharField(label=_("OAuth client id"), max_length=150, required=False)
    client_secret = secret_field(_("OAuth client secret"))
    timeout_seconds = forms.IntegerField(label=_("Timeout (seconds)"), min_value=1, max_value=300)
    enabled = forms.BooleanField(label=_("Synchronise every day"), required=False)
