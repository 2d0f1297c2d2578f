"""The OVC case plan and service lists, with the codes of the national CPIMS OVC system
(cpims-ovc-3.0, case plan template of May 2022): per domain (``ovc_domain``), the goals
(one per CPARA benchmark), the gaps / needs, the priority actions and the services.

The services of a domain serve both the case plan and Form 1A (services delivered), so a
service counts in the services-by-domain report whichever form recorded it. Lists are
named ``<kind>_<domain code>``: ``ovc_cp_goal_healthy``, ``ovc_service_safe``...
(code, English label, Kiswahili label), loaded like ``data_ovc.py``. Codes are opaque and
kept exactly as CPIMS spells them (``CP12 HE`` has a space; ``CP511S`` is 5.11 Stable).
CPIMS lists ``CP32HE`` twice (two services); the second is left out (one code, one item).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# the items themselves, by subject
from case_apps.lists.data_ovc_plan_codes import GAPS, GOALS, PRIORITIES
from case_apps.lists.data_ovc_services import FORM1B_KIND, FORM1B_SERVICES, SERVICES

__all__ = ["FORM1B_KIND", "FORM1B_SERVICES", "GAPS", "GOALS", "PRIORITIES", "SERVICES"]

DOMAINS = ("healthy", "stable", "safe", "schooled")
PLAN_KINDS = ("ovc_cp_goal", "ovc_cp_gap", "ovc_cp_priority", "ovc_service")


def plan_list(kind: str, domain: str) -> str:
    """The name of a domain's list of one kind: ``plan_list("ovc_service", "safe")``."""
    return f"{kind}_{domain}"


OVC_PLAN_LISTS: dict[str, list[tuple[str, str, str]]] = {
    plan_list(kind, domain): items[domain]
    for kind, items in (
        ("ovc_cp_goal", GOALS),
        ("ovc_cp_gap", GAPS),
        ("ovc_cp_priority", PRIORITIES),
        ("ovc_service", SERVICES),
        (FORM1B_KIND, FORM1B_SERVICES),
    )
    for domain in DOMAINS
}

_KIND_TITLES = {
    "ovc_cp_goal": {
        "healthy": _("OVC case plan goals: Healthy"),
        "stable": _("OVC case plan goals: Stable"),
        "safe": _("OVC case plan goals: Safe"),
        "schooled": _("OVC case plan goals: Schooled"),
    },
    "ovc_cp_gap": {
        "healthy": _("OVC case plan gaps: Healthy"),
        "stable": _("OVC case plan gaps: Stable"),
        "safe": _("OVC case plan gaps: Safe"),
        "schooled": _("OVC case plan gaps: Schooled"),
    },
    "ovc_cp_priority": {
        "healthy": _("OVC case plan priorities: Healthy"),
        "stable": _("OVC case plan priorities: Stable"),
        "safe": _("OVC case plan priorities: Safe"),
        "schooled": _("OVC case plan priorities: Schooled"),
    },
    "ovc_service": {
        "healthy": _("OVC services: Healthy"),
        "stable": _("OVC services: Stable"),
        "safe": _("OVC services: Safe"),
        "schooled": _("OVC services: Schooled"),
    },
    FORM1B_KIND: {
        "healthy": _("OVC Form 1B caregiver services: Healthy"),
        "stable": _("OVC Form 1B caregiver services: Stable"),
        "safe": _("OVC Form 1B caregiver services: Safe"),
        "schooled": _("OVC Form 1B caregiver services: Schooled"),
    },
}

OVC_PLAN_LIST_TITLES = {
    plan_list(kind, domain): title
    for kind, titles in _KIND_TITLES.items()
    for domain, title in titles.items()
}
