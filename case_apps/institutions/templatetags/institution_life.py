"""``{% admission_life admission %}``: the life sections of the admission page (leave,
adverse events and the return after escape, education, case conferences, the care plan and
its reviews) with their "Add" links for a member who records cases."""

from __future__ import annotations

from django import template

from case_apps.cases.presenters import case_labels
from case_apps.institutions.selectors_life import admission_life as life_of
from case_apps.institutions.views_life import admission_url
from tenants.actor import actor_from_request
from tenants.policy import Permission

register = template.Library()


@register.inclusion_tag("institutions/life_sections.html", takes_context=True)
def admission_life(context, admission) -> dict:
    request = context.get("request")
    may_record = request is not None and actor_from_request(request).may(Permission.RECORD_CASES)
    life = life_of(admission)
    return {
        "life": life,
        "returned_url": admission_url(life.returned_as) if life.returned_as else "",
        "admission": admission,
        "labels": context.get("labels") or case_labels(),
        "may_record": may_record,
    }
