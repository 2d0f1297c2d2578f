"""Search and filters of the case app's queues (issue 17, *screens at a glance*): the
supervisor's approvals and the referrals and transfers in. Each list is the same query its
page always showed, narrowed here; the caseload's own filters live in ``selectors.py``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from case_apps.cases.models import ApprovalRequest, CaseRecord
from case_apps.cases.selectors import _search as case_search
from case_apps.cases.selectors import approvals_waiting_for
from sharing import selectors as sharing_selectors
from sharing.models import OrganisationReferral, ReferralKind
from tenants.actor import Actor
from tenants.models import Organisation, User


@dataclass(frozen=True)
class ApprovalFilters:
    """What the supervisor narrowed the queue to (blank: everything waiting)."""

    search: str = ""
    kind: str = ""
    requested_by: int | None = None
    requested_from: date | None = None
    requested_to: date | None = None


def approvals_list(
    *, actor: Actor, filters: ApprovalFilters | None = None
) -> QuerySet[ApprovalRequest]:
    """The requests waiting for this supervisor, oldest first, narrowed by the child's name,
    CPIMS ID or case reference, the kind of request, who asked and when they asked
    (``Forbidden`` without the right to supervise cases)."""
    approvals = approvals_waiting_for(actor=actor)
    filters = filters or ApprovalFilters()
    term = filters.search.strip()[:100]
    if term:
        approvals = approvals.filter(
            case__in=CaseRecord.objects.filter(case_search(term)).values("pk")
        )
    if filters.kind:
        approvals = approvals.filter(kind=filters.kind)
    if filters.requested_by:
        approvals = approvals.filter(requested_by_id=filters.requested_by)
    if filters.requested_from:
        approvals = approvals.filter(requested_at__date__gte=filters.requested_from)
    if filters.requested_to:
        approvals = approvals.filter(requested_at__date__lte=filters.requested_to)
    return approvals


def approval_requesters(*, actor: Actor) -> list[User]:
    """The officers with a request waiting for this supervisor (the queue's officer filter)."""
    ids = approvals_waiting_for(actor=actor).values("requested_by_id")
    return list(User.objects.filter(pk__in=ids).order_by("full_name", "email"))


@dataclass(frozen=True)
class ReferralInFilters:
    """What the receiver narrowed the inbox to (blank: everything but withdrawn ones)."""

    search: str = ""
    status: str = ""
    kind: str = ""
    sender: int | None = None
    sent_from: date | None = None
    sent_to: date | None = None


def referrals_in_list(
    *, organisation: Organisation, filters: ReferralInFilters | None = None
) -> QuerySet[OrganisationReferral]:
    """Referrals and transfers sent to ``organisation``, newest first, narrowed by the
    sender, the child, the reason or the number (``sharing.selectors.referrals_received``),
    the status, referral or transfer, the sending organisation and the day it was sent."""
    filters = filters or ReferralInFilters()
    referrals = sharing_selectors.referrals_received(
        organisation=organisation, search=filters.search[:100], status=filters.status
    )
    if filters.kind in ReferralKind.values:
        referrals = referrals.filter(kind=filters.kind)
    if filters.sender:
        referrals = referrals.filter(sender_id=filters.sender)
    if filters.sent_from:
        referrals = referrals.filter(created_at__date__gte=filters.sent_from)
    if filters.sent_to:
        referrals = referrals.filter(created_at__date__lte=filters.sent_to)
    return referrals


def referral_senders(*, organisation: Organisation) -> list[Organisation]:
    """The organisations that have sent ``organisation`` a referral or transfer."""
    ids = OrganisationReferral.objects.filter(receiver=organisation).values("sender_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))
