"""Template tags of family care: whether it serves the organisation being viewed."""

from django import template

from case_apps.family_care.capabilities import FAMILY_CARE_KINDS

register = template.Library()


@register.simple_tag(takes_context=True)
def family_care_served(context) -> bool:
    """Whether family care runs in the workspace of this request (by organisation kind)."""
    request = context.get("request")
    organisation = getattr(request, "organisation", None)
    return organisation is not None and organisation.kind in FAMILY_CARE_KINDS
