"""``{% label labels "risk_level" case.risk_level %}``: a coded value as its label, the code
in a tooltip (screens show labels; codes belong in tooltips and exports); and the list
filters' ``{% filter_select form.field %}``."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

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


@register.simple_tag
def filter_select(field) -> str:
    """A list filter's ``<select>`` (``{% filter_select form.status %}``): the field's choices,
    the current value selected, the empty choice reading "Label: all"; built in one pass (a
    template loop over a long code list cost a list page more than its query)."""
    value = field.value()
    current = "" if value is None else str(value)
    options = format_html_join(
        "",
        '<option value="{}"{}>{}{}</option>',
        (
            (
                choice,
                mark_safe(" selected") if str(choice) == current else "",
                f"{field.label}: " if choice == "" else "",
                label,
            )
            for choice, label in field.field.choices
        ),
    )
    return format_html(
        '<select name="{}" aria-label="{}">{}</select>', field.html_name, field.label, options
    )
