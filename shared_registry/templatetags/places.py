"""``{% place county_code sub_county_code ward_code %}``: a place by name, its codes in a
tooltip (screens show names; codes belong in tooltips and exports)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from shared_registry.places import place_names

register = template.Library()


@register.simple_tag
def place(county_code: str = "", sub_county_code: str = "", ward_code: str = "") -> str:
    """The place's names, ward first, with its codes as the tooltip."""
    names = place_names(county_code or "", sub_county_code or "", ward_code or "")
    if not names.codes:
        return ""
    return format_html('<span class="place" title="{}">{}</span>', names.codes, str(names))
