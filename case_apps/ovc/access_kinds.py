"""How the OVC programme's reads appear in the access log: a household by its number, an
enrolled child by name, each linked to its page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit.access_kinds import AccessKind


def _ints(ids: list[str]) -> list[int]:
    return [int(i) for i in ids if i.isdigit()]


def describe_households(ids: list[str], scope: str) -> dict[str, tuple[str, str]]:
    from case_apps.ovc.models import Household

    if scope != "workspace":
        return {}
    rows = Household.objects.filter(pk__in=_ints(ids)).values_list("pk", "number")
    return {str(pk): (number, reverse("ovc:household", args=[pk])) for pk, number in rows}


def describe_enrolments(ids: list[str], scope: str) -> dict[str, tuple[str, str]]:
    from case_apps.ovc.models import Enrolment

    if scope != "workspace":
        return {}
    found = {}
    for enrolment in Enrolment.objects.filter(pk__in=_ints(ids)).select_related("child"):
        url = reverse("ovc:enrolment", args=[enrolment.pk])
        found[str(enrolment.pk)] = (enrolment.child.full_name, url)
    return found


# declared in case_apps/ovc/capabilities.py
ACCESS_KINDS = (
    AccessKind("ovc_household", _("OVC household"), describe_households),
    AccessKind("ovc_child", _("OVC child"), describe_enrolments),
    AccessKind("ovc_children_export", _("OVC children export")),
)
