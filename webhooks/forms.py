"""The subscription form: the URL, the events (none ticked: share the least), a note."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from webhooks.events import event_choices
from webhooks.services import DESCRIPTION_MAX_LENGTH
from webhooks.transport import URL_MAX_LENGTH


class SubscriptionForm(forms.Form):
    url = forms.CharField(
        label=_("URL to call"),
        max_length=URL_MAX_LENGTH,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=event_choices,
        required=False,  # the service names the field when none is ticked
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick only what your system needs: each event sends references only."),
    )
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX_LENGTH, required=False
    )
