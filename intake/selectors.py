"""Reads of intake reports: an office's queue, one report as a member of its office, the
national unrouted list, the status a source may see, and the registry's match candidates."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from intake.models import IntakeClient, IntakeReport, IntakeStatus, Urgency
from shared_registry.selectors import person_match_candidates
from tenants.actor import Actor, NotFound
from tenants.policy import Permission

OPEN_STATUSES = (IntakeStatus.RECEIVED, IntakeStatus.FORWARDED)
WAITING_HOURS = 24


def waiting_since() -> timezone.datetime:
    """A report received before this has waited too long."""
    return timezone.now() - timedelta(hours=WAITING_HOURS)


def _searched(reports: QuerySet[IntakeReport], search: str) -> QuerySet[IntakeReport]:
    search = (search or "").strip()[:100]
    if not search:
        return reports
    query = Q()
    for word in search.split():
        query &= (
            Q(reference__icontains=word)
            | Q(child_first_name__icontains=word)
            | Q(child_other_names__icontains=word)
            | Q(child_surname__icontains=word)
            | Q(source_reference__icontains=word)
            | Q(narrative__icontains=word)
        )
    return reports.filter(query)


def intake_queue(*, actor: Actor, search: str = "", status: str = "open") -> QuerySet:
    """The reports of the actor's office: waiting ones by default, urgent first then the
    oldest; each with ``overdue`` (waiting more than 24 hours)."""
    actor.require(Permission.TRIAGE_INTAKE)
    reports = IntakeReport.objects.filter(office=actor.organisation)
    if status == "open":
        reports = reports.filter(status__in=OPEN_STATUSES)
    elif status in IntakeStatus.values:
        reports = reports.filter(status=status)
    overdue = Case(
        When(status__in=OPEN_STATUSES, received_at__lt=waiting_since(), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    urgent_first = Case(When(urgency=Urgency.URGENT, then=Value(0)), default=Value(1))
    return (
        _searched(reports, search)
        .annotate(overdue=overdue, urgent_rank=urgent_first)
        .order_by("urgent_rank", "received_at", "id")
    )


def report_for(actor: Actor, reference: str) -> IntakeReport:
    """One report of the actor's office; any other is "not found", as a missing one."""
    if not actor.may(Permission.TRIAGE_INTAKE) or actor.organisation is None:
        raise NotFound()
    report = (
        IntakeReport.objects.filter(reference=reference, office=actor.organisation)
        .select_related("client", "office", "person")
        .first()
    )
    if report is None:
        raise NotFound()
    return report


def report_history(report: IntakeReport) -> QuerySet:
    return report.events.select_related("actor", "office")


def unrouted_reports(*, search: str = "") -> QuerySet[IntakeReport]:
    """Reports whose place has no office: DCS headquarters routes them by hand."""
    reports = IntakeReport.objects.filter(office__isnull=True, status=IntakeStatus.RECEIVED)
    urgent_first = Case(When(urgency=Urgency.URGENT, then=Value(0)), default=Value(1))
    return (
        _searched(reports, search)
        .annotate(urgent_rank=urgent_first)
        .order_by("urgent_rank", "received_at", "id")
    )


def status_for_client(client: IntakeClient, reference: str) -> IntakeReport | None:
    """A report the client sent (by our reference or its own), else None."""
    return (
        IntakeReport.objects.filter(client=client)
        .filter(Q(reference=reference) | Q(source_reference=reference))
        .only("reference", "status", "decided_on")
        .first()
    )


def match_candidates(report: IntakeReport, limit: int = 5) -> list:
    """Registry persons who may be the reported child, best first."""
    return person_match_candidates(
        first_name=report.child_first_name,
        other_names=report.child_other_names,
        surname=report.child_surname,
        sex=report.child_sex,
        date_of_birth=report.child_date_of_birth,
        birth_year=(
            report.reported_on.year - report.child_age if report.child_age is not None else None
        ),
        birth_date_estimated=report.child_age is not None,
        county_code=report.county_code or None,
        sub_county_code=report.sub_county_code or None,
        limit=limit,
    )


def clients(*, search: str = "") -> QuerySet[IntakeClient]:
    rows = IntakeClient.objects.all()
    if search.strip():
        rows = rows.filter(Q(name__icontains=search.strip()) | Q(key_id=search.strip()))
    return rows


def reports_overdue_untold() -> QuerySet[IntakeReport]:
    """Waiting more than 24 hours in an office whose supervisors were not told yet."""
    return IntakeReport.objects.filter(
        status__in=OPEN_STATUSES,
        office__isnull=False,
        received_at__lt=waiting_since(),
        supervisors_told_at__isnull=True,
    ).select_related("office")


def dcs_offices(*, exclude=None) -> QuerySet:
    """Active DCS county and sub-county offices (where a report may go), by name."""
    from intake.routing import OFFICE_KINDS
    from tenants.models import Organisation, OrganisationStatus

    offices = Organisation.objects.filter(
        kind__in=OFFICE_KINDS, status=OrganisationStatus.ACTIVE
    ).order_by("name")
    return offices.exclude(pk=exclude.pk) if exclude is not None else offices
