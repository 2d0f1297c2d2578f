"""The household page's context for Form 1B (issue 18; case_apps/ovc/panels.py): the
caregivers' services and the labels of the Form 1B lists."""

from __future__ import annotations

from typing import Any

from case_apps.lists.data_ovc_plans import DOMAINS, FORM1B_KIND, plan_list
from case_apps.lists.selectors import list_labels_bulk
from case_apps.ovc.models import Enrolment, Household
from case_apps.ovc.selectors_form1b import caregiver_services
from case_apps.ovc.views_common import _Labels
from tenants.actor import Actor

SHOWN = 20  # the latest records on the household page


def form1b_labels() -> _Labels:
    """code -> label of every domain's Form 1B services (inactive codes too), for the
    ``label`` tag: ``{% label form1b_labels "service" code %}``."""
    lists = list_labels_bulk(plan_list(FORM1B_KIND, d) for d in DOMAINS)
    merged: dict[str, str] = {}
    for domain in DOMAINS:
        merged.update(lists.get(plan_list(FORM1B_KIND, domain), {}))
    return _Labels(service=merged)


def household_context(actor: Actor, household: Household) -> dict[str, Any]:
    records = caregiver_services(household)
    return {
        "caregiver_services": list(records[:SHOWN]),
        "caregiver_services_total": records.count(),
        "form1b_labels": form1b_labels(),
    }


def enrolment_context(actor: Actor, enrolment: Enrolment) -> dict[str, Any]:
    return {}
