"""Reads of case plans and services delivered: a household's plan progress per domain and
the services-by-domain report, always as an actor (the caseload rule of ``selectors``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet
from django.utils import timezone

from case_apps.lists.data_ovc_plans import DOMAINS
from case_apps.ovc.models import CasePlanItem, Household, ServiceRecord
from case_apps.ovc.selectors import households_visible_to
from tenants.actor import Actor


@dataclass(frozen=True)
class DomainProgress:
    """A domain's lines of one household's case plan: how many, achieved, overdue."""

    domain: str
    items: int
    achieved: int
    not_achieved: int
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * self.achieved / self.items) if self.items else 0


def case_plan_items(household: Household) -> QuerySet[CasePlanItem]:
    """The lines of a household already fetched as the actor (``selectors.household_get``)."""
    return household.plan_items.select_related("enrolment")


def case_plan_progress(household: Household, today: date | None = None) -> list[DomainProgress]:
    """Per domain with lines (in the domains' order): items, achieved, overdue (open past
    the target date)."""
    today = today or timezone.localdate()
    counts: dict[str, list[int]] = {}
    for item in household.plan_items.only("domain", "achieved", "completed_on", "due_date"):
        row = counts.setdefault(item.domain, [0, 0, 0, 0])
        row[0] += 1
        if item.completed_on and item.achieved:
            row[1] += 1
        elif item.completed_on:
            row[2] += 1
        elif item.due_date and item.due_date < today:
            row[3] += 1
    order = {domain: i for i, domain in enumerate(DOMAINS)}
    return [
        DomainProgress(domain, *row)
        for domain, row in sorted(counts.items(), key=lambda kv: order.get(kv[0], 99))
    ]


@dataclass(frozen=True)
class ServiceCount:
    """One row of the services-by-domain report."""

    domain: str
    service: str
    services: int
    children: int


def services_by_domain(
    *, actor: Actor, start: date, end: date, domain: str = ""
) -> list[ServiceCount]:
    """Services delivered from ``start`` to ``end`` (both included) to the children of the
    households the actor sees, per domain and service code: how many, to how many children.
    Rows typed before services were coded count under the service code ""."""
    records = ServiceRecord.objects.filter(
        date__gte=start,
        date__lte=end,
        enrolment__household__in=households_visible_to(actor),
    )
    if domain:
        records = records.filter(domain=domain)
    rows = (
        records.values("domain", "service")
        .annotate(services=Count("id"), children=Count("enrolment__child_id", distinct=True))
        .order_by("domain", "service")
    )
    order = {d: i for i, d in enumerate(DOMAINS)}
    found = [ServiceCount(r["domain"], r["service"], r["services"], r["children"]) for r in rows]
    return sorted(found, key=lambda row: (order.get(row.domain, 99), row.service))


def children_served_by_domain(*, actor: Actor, start: date, end: date) -> dict[str, int]:
    """Children served per domain in the period (a child counts once per domain)."""
    rows = (
        ServiceRecord.objects.filter(
            date__gte=start, date__lte=end, enrolment__household__in=households_visible_to(actor)
        )
        .values("domain")
        .annotate(children=Count("enrolment__child_id", distinct=True))
    )
    return {row["domain"]: row["children"] for row in rows}
