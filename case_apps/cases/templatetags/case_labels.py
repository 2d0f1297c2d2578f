"""``{% label labels "risk_level" case.risk_level %}``: a coded value as its label, the code
in a tooltip (screens show labels; codes belong in tooltips and exports)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join

from case_apps.cases.presenters import coded_label

register = template.Library()


@register.simple_tag
def label(labels, list_name: str, code) -> str:
    """The label of a coded value with its code as the tooltip; a list of codes reads as
    its labels joined by commas, each with its own tooltip."""
    if isinstance(code, list | tuple):
        return format_html_join(
            ", ", "{}", ((coded_label(labels, list_name, c),) for c in code if c not in ("", None))
        )
    return coded_label(labels, list_name, code)


@register.simple_tag
def label_text(labels, list_name: str, code) -> str:
    """The label alone, as plain text (for attributes and `<option>`s)."""
    if isinstance(code, list | tuple):
        return labels.many(list_name, code)
    return labels.of(list_name, code) if code else ""
