from django import template

register = template.Library()


@register.simple_tag
def label(labels, list_name: str, code) -> str:
    """The label of a coded value: {% label labels "risk_level" case.risk_level %}."""
    if isinstance(code, list | tuple):
        return labels.many(list_name, code)
    return labels.of(list_name, code) if code else ""
