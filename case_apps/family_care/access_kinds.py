"""How alternative family care's reads appear in the access log: a care record by its
child's name, linked to its page (its carers and follow-ups are shown there); the list of
care records as a list read."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit.access_kinds import AccessKind

# the record kinds this app logs (case_apps/family_care/selectors.py)
CARE = "family_care"
CARE_LIST = "family_care_list"


def _ints(ids: list[str]) -> list[int]:
    return [int(i) for i in ids if i.isdigit()]


def describe_care(ids: list[str], scope: str) -> dict[str, tuple[str, str]]:
    """Each care record by its child's name, linked to the care page (workspace logs only)."""
    from case_apps.family_care.models import AlternativeCare

    if scope != "workspace":
        return {}
    found = {}
    for care in AlternativeCare.objects.filter(pk__in=_ints(ids)).select_related("case__child"):
        url = reverse("family_care:care", args=[care.pk])
        found[str(care.pk)] = (care.case.child.full_name, url)
    return found


# declared in case_apps/family_care/capabilities.py
ACCESS_KINDS = (
    AccessKind(CARE, _("Family care record"), describe_care),
    AccessKind(CARE_LIST, _("Family care list")),
)
