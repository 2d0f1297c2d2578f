"""Reads of Form 1B (services to caregivers): a household's records and the Form 1B part of
the services-by-domain report, always as an actor (the caseload rule of ``selectors``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet

from case_apps.lists.data_ovc_plans import DOMAINS
from case_apps.ovc.models import Household
from case_apps.ovc.models_form1b import HouseholdServiceRecord
from case_apps.ovc.selectors import households_visible_to
from tenants.actor import Actor


def caregiver_services(household: Household) -> QuerySet[HouseholdServiceRecord]:
    """The Form 1B records of a household already fetched as the actor, latest first."""
    return household.caregiver_services.select_related("caregiver__person")


@dataclass(frozen=True)
class CaregiverServiceCount:
    """One Form 1B row of the services-by-domain report."""

    domain: str
    service: str
    services: int
    caregivers: int


def _records(actor: Actor, start: date, end: date) -> QuerySet[HouseholdServiceRecord]:
    return HouseholdServiceRecord.objects.filter(
        date__gte=start, date__lte=end, household__in=households_visible_to(actor)
    )


def caregiver_services_by_domain(
    *, actor: Actor, start: date, end: date, domain: str = ""
) -> list[CaregiverServiceCount]:
    """Form 1B services from ``start`` to ``end`` (both included) in the households the actor
    sees, per domain and service code: how many, to how many caregivers."""
    records = _records(actor, start, end)
    if domain:
        records = records.filter(domain=domain)
    rows = (
        records.values("domain", "service")
        .annotate(services=Count("id"), caregivers=Count("caregiver__person_id", distinct=True))
        .order_by("domain", "service")
    )
    order = {d: i for i, d in enumerate(DOMAINS)}
    found = [
        CaregiverServiceCount(r["domain"], r["service"], r["services"], r["caregivers"])
        for r in rows
    ]
    return sorted(found, key=lambda row: (order.get(row.domain, 99), row.service))


def caregivers_served_by_domain(*, actor: Actor, start: date, end: date) -> dict[str, int]:
    """Caregivers served per domain in the period (a caregiver counts once per domain)."""
    rows = (
        _records(actor, start, end)
        .values("domain")
        .annotate(caregivers=Count("caregiver__person_id", distinct=True))
    )
    return {row["domain"]: row["caregivers"] for row in rows}
