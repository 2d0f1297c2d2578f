"""What the case screens (case_apps/cases templates) ask of admissions, through one-line
includes: where the child is resident now, and the "Admit" link of an institution's case or
accepted referral (issue 19)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from case_apps.cases.models import CaseRecord
from case_apps.institutions import selectors_admissions as read
from sharing.models import OrganisationReferral
from tenants.actor import Forbidden, NotFound, actor_from_request

register = template.Library()


@register.simple_tag(takes_context=True)
def residence_for(context, person_id):
    """The child's current residence (``ResidenceView``) or None."""
    if not person_id:
        return None
    request = context.get("request")
    return read.residence_of(int(person_id), getattr(request, "organisation", None))


@register.simple_tag(takes_context=True)
def admit_url(context, case=None, referral=None) -> str:
    """The "Admit" link of this case, or of the case an accepted referral or transfer opened
    here: only in an institution, on an open case, for a member who records cases, when the
    child is not resident anywhere; "" otherwise."""
    request = context.get("request")
    organisation = getattr(request, "organisation", None)
    if request is None or not read.is_institution(organisation):
        return ""
    actor = actor_from_request(request)
    case = case if isinstance(case, CaseRecord) else None  # a missing variable is ""
    referral = referral if isinstance(referral, OrganisationReferral) else None
    if case is None and referral is not None:
        if referral.status not in ("accepted", "completed") or not referral.receiver_case_id:
            return ""
        from case_apps.cases import selectors

        try:
            case = selectors.case_get(actor=actor, case_id=referral.receiver_case_id)
        except (NotFound, Forbidden):
            return ""
    if case is None:
        return ""
    if not read.admit_offered(actor, case, read.residence_of(case.child_id, organisation)):
        return ""
    return reverse("institutions:admit_case", args=[case.pk])
