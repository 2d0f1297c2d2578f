"""Reads of alternative family care (issue 19): a care record as the actor, the list of care
records on the actor's caseload, the certificates about to expire, the case timeline's
entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone

from audit.services import actor_access_record
from case_apps.cases import selectors as case_selectors
from case_apps.cases.selectors_presence import reads_case_rows
from case_apps.family_care.access_kinds import CARE, CARE_LIST
from case_apps.family_care.models import AlternativeCare, AlternativeCareCarer, CareFollowUp
from shared_registry import names
from shared_registry.models import Person
from tenants.actor import Actor, NotFound
from tenants.policy import Permission

EXPIRING_DAYS = 60


def care_get(
    *, actor: Actor, care_id: int, permission: Permission = Permission.VIEW_CASES
) -> AlternativeCare:
    """The care record as the actor: ``NotFound`` when missing or its case is outside their
    caseload, ``Forbidden`` when they see it but may not do this."""
    care = AlternativeCare.objects.filter(pk=care_id).first()
    if care is None:
        raise NotFound
    care.case = case_selectors.case_get(actor=actor, case_id=care.case_id, permission=permission)
    return care


def care_open(
    *,
    actor: Actor,
    care_id: int,
    purpose: str = "family care page",
    request: HttpRequest | None = None,
) -> AlternativeCare:
    """The care record's page (with its carers and follow-ups) or the API's read of it:
    fetched as the actor, logged in the access log; a refused read logs nothing."""
    care = care_get(actor=actor, care_id=care_id)
    actor_access_record(actor, CARE, care.pk, purpose, request)
    return care


def admission_to_discharge(*, actor: Actor, admission_id: int):
    """An admission of this institution and its case, as the actor who would discharge the
    resident to family care: ``NotFound`` when missing or its case is outside their
    caseload, ``Forbidden`` without the right to record cases."""
    from case_apps.institutions.models import Admission

    admission = Admission.objects.filter(pk=admission_id).first()
    if admission is None:
        raise NotFound
    admission.case = case_selectors.case_get(
        actor=actor, case_id=admission.case_id, permission=Permission.RECORD_CASES
    )
    return admission


@dataclass
class CareFilters:
    search: str = ""
    care_type: str = ""
    expiring: bool = False  # certificates expiring within 60 days (or expired)
    running: bool = True  # only care that still runs


def _name_search(term: str) -> Q:
    """A certificate number, or the child's names (the registry's normalised names and
    phonetic keys, as the case list searches them)."""
    term = term.strip()[:100]
    by_certificate = Q(certificate_number__icontains=term)
    words = names.tokens(term)
    if not words:
        return by_certificate
    people = Person.objects.all()
    for word in words:
        people = people.filter(
            Q(search_name__contains=word) | Q(name_keys__contains=[names.phonetic_key(word)])
        )
    return by_certificate | Q(case__child_id__in=people.values("pk"))


def care_list(*, actor: Actor, filters: CareFilters | None = None) -> QuerySet[AlternativeCare]:
    """The care records on the actor's caseload, certificates expiring first, each with its
    child and its last follow-up (``last_follow_up_on``, ``last_follow_up_kind``)."""
    actor.require(Permission.VIEW_CASES)
    filters = filters or CareFilters()
    visible = case_selectors.cases_visible_to(actor=actor).values("pk")
    last = CareFollowUp.objects.filter(care=OuterRef("pk")).order_by("-visited_on", "-id")
    rows = (
        AlternativeCare.objects.filter(case_id__in=visible)
        .select_related("case__child")
        .annotate(
            last_follow_up_on=Subquery(last.values("visited_on")[:1]),
            last_follow_up_kind=Subquery(last.values("kind")[:1]),
        )
    )
    if filters.running:
        rows = rows.filter(ended_on__isnull=True)
    if filters.care_type:
        rows = rows.filter(care_type=filters.care_type)
    if filters.expiring:
        rows = rows.filter(certificate_expires_on__lte=expiry_horizon(EXPIRING_DAYS))
    if filters.search.strip():
        rows = rows.filter(_name_search(filters.search))
    return rows.order_by("ended_on", "certificate_expires_on", "-started_on", "-id")


def care_list_open(
    *,
    actor: Actor,
    filters: CareFilters | None = None,
    purpose: str = "family care list",
    request: HttpRequest | None = None,
) -> QuerySet[AlternativeCare]:
    """The care records list (the screen, the API): one access-log entry per list read, with
    what narrowed it; refused (no right to see cases), nothing logged."""
    filters = filters or CareFilters()
    rows = care_list(actor=actor, filters=filters)
    said = "&".join(
        f"{name}={value}"
        for name, value in (
            ("q", filters.search.strip()[:64]),
            ("care_type", filters.care_type),
            ("expiring", "1" if filters.expiring else ""),
            ("ended", "" if filters.running else "1"),
        )
        if value
    )
    actor_access_record(
        actor, CARE_LIST, "list", f"{purpose}: {said}" if said else purpose, request
    )
    return rows


def expiry_horizon(within_days: int) -> date:
    return timezone.localdate() + timedelta(days=within_days)


def certificates_expiring(*, within_days: int = EXPIRING_DAYS, limit: int = 10) -> list:
    """Family care records whose certificate expires within ``within_days`` (or has expired
    while the care runs), soonest first: the institution manager's morning list. Each a
    dict: pk, case_id, child_name, care_type, certificate_number, certificate_expires_on,
    expired."""
    today = timezone.localdate()
    rows = (
        AlternativeCare.objects.filter(
            ended_on__isnull=True,
            certificate_expires_on__isnull=False,
            certificate_expires_on__lte=expiry_horizon(within_days),
        )
        .select_related("case__child")
        .order_by("certificate_expires_on", "id")[:limit]
    )
    return [
        {
            "pk": care.pk,
            "case_id": care.case_id,
            "child_name": care.case.child.full_name,
            "care_type": care.care_type,
            "certificate_number": care.certificate_number,
            "certificate_expires_on": care.certificate_expires_on,
            "expired": care.certificate_expires_on < today,
        }
        for care in rows
    ]


def care_carers(care: AlternativeCare) -> list[AlternativeCareCarer]:
    """The carers, each with its caregiver row and registry person (``carer.person``)."""
    carers = list(care.carers.select_related("caregiver"))
    people = Person.objects.in_bulk([c.caregiver.person_id for c in carers])
    for carer in carers:
        carer.person = people.get(carer.caregiver.person_id)
    return carers


def care_follow_ups(care: AlternativeCare) -> list[CareFollowUp]:
    return list(care.follow_ups.all())


def case_family_care(case) -> list[AlternativeCare]:
    """The case's care records, newest first (the case page's panel)."""
    return list(AlternativeCare.objects.filter(case=case))


@reads_case_rows(AlternativeCare)
def family_care_timeline(case) -> list[case_selectors.TimelineEntry]:
    """The case's family care on its timeline: when each care began and ended, and each
    follow-up (case_apps/family_care/presenters.py reads them)."""
    entries = []
    for care in AlternativeCare.objects.filter(case=case).prefetch_related("follow_ups"):
        entries.append(
            case_selectors.TimelineEntry(care.started_on, "family_care", care.care_type, care)
        )
        if care.ended_on:
            entries.append(
                case_selectors.TimelineEntry(
                    care.ended_on, "family_care_ended", care.care_type, care
                )
            )
        entries += [
            case_selectors.TimelineEntry(f.visited_on, "family_care_follow_up", f.kind, f)
            for f in care.follow_ups.all()
        ]
    return entries
