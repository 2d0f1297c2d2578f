"""The referral facility as the forms ask for it: an MFL code of the national facility
registry, typed or picked from the names the registry search offers as the officer types
(htmx fills a datalist; without script the MFL code is typed). The services check it."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from case_apps.ovc import selectors_hiv

MFL_CODE_MAX_LENGTH = 10  # shared_registry.Facility.code


class FacilityInput(forms.TextInput):
    """A text input for an MFL code with the registry search's suggestions."""

    template_name = "ovc/widgets/facility_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        options_id = f"{context['widget']['attrs'].get('id', name)}_options"
        context["widget"]["attrs"].update(
            {
                "list": options_id,
                "autocomplete": "off",
                "hx-get": str(reverse_lazy("ovc:facility_search")),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": f"#{options_id}",
                "hx-swap": "innerHTML",
            }
        )
        context["options_id"] = options_id
        context["current"] = selectors_hiv.facility_names([value] if value else []).get(value, "")
        return context


def facility_field(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MFL_CODE_MAX_LENGTH,
        required=False,
        widget=FacilityInput,
        help_text=_("Type the facility's name or MFL code and pick it from the registry."),
    )
