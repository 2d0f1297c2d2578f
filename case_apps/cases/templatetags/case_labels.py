"""``{% label labels "risk_level" case.risk_level %}``: a coded value as its label, the code
in a tooltip (screens show labels; codes belong in tooltips and exports)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


def _one(labels, list_name: str, code) -> str:
    code = "" if code is None else str(code)
    if not code:
        return ""
    text = labels.of(list_name, code)
    if str(text) == code:  # no label known: the code is all there is, no tooltip to add
        return format_html('<span class="code-label">{}</span>', code)
    return format_html('<span class="code-label" title="{}">{}</span>', code, text)


@register.simple_tag
def label(labels, list_name: str, code) -> str:
    """The label of a coded value with its code as the tooltip; a list of codes reads as
    its labels joined by commas, each with its own tooltip."""
    if isinstance(code, list | tuple):
        return format_html_join(
            ", ", "{}", ((_one(labels, list_name, c),) for c in code if c not in ("", None))
        )
    return _one(labels, list_name, code)


@register.simple_tag
def label_text(labels, list_name: str, code) -> str:
    """The label alone, as plain text (for attributes and `<option>`s)."""
    if isinstance(code, list | tuple):
        return labels.many(list_name, code)
    return labels.of(list_name, code) if code else ""
