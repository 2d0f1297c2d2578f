"""Reads on court work, always through the member's case scope (tenants.policy case_scope:
a case worker sees their cases, a supervisor their team's, an administrator or viewer the
organisation's): upcoming court dates, court orders in force, summons, a case's court panel."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from audit.services import actor_access_record
from case_apps.cases import selectors
from case_apps.cases.models import CaseRecord
from case_apps.cases.models_court import CourtOrder, CourtSession, Summons, SummonsStatus
from case_apps.cases.selectors_presence import has_rows, reads_case_rows
from tenants.actor import Actor, NotFound
from tenants.policy import Permission

if TYPE_CHECKING:
    from django.http import HttpRequest

MINE, ORGANISATION, COUNTY = "mine", "organisation", "county"
SCOPES = (MINE, ORGANISATION, COUNTY)


@dataclass
class CourtFilters:
    """What a court list is narrowed to: whose dates (``scope``), a case reference or the
    child's name (``search``), a court (part of its name), a county (the case's occurrence
    county), a date range, an order type or a summons status."""

    scope: str = ORGANISATION
    search: str = ""
    court: str = ""
    county: str = ""
    date_from: date | None = None
    date_to: date | None = None
    order_code: str = ""
    status: str = ""
    today: date = field(default_factory=timezone.localdate)


def _cases(actor: Actor, filters: CourtFilters) -> QuerySet[CaseRecord]:
    """The actor's visible cases, narrowed by search, scope and county."""
    actor.require(Permission.VIEW_CASES)
    cases = selectors.cases_visible_to(actor=actor)
    if filters.search:
        cases = cases.filter(selectors._search(filters.search))
    if filters.scope == MINE:
        cases = cases.filter(assigned_officer=actor.user)
    if filters.county:
        cases = cases.filter(occurrence_county_code=filters.county)
    return cases


def upcoming_court_dates(*, actor: Actor, filters: CourtFilters) -> QuerySet[CourtSession]:
    """Next court dates on or after today, soonest first: the date the latest session of each
    case set (an earlier session's date is superseded by a later session)."""
    later = CourtSession.objects.filter(case=OuterRef("case")).filter(
        Q(session_date__gt=OuterRef("session_date"))
        | Q(session_date=OuterRef("session_date"), pk__gt=OuterRef("pk"))
    )
    sessions = CourtSession.objects.filter(
        case__in=_cases(actor, filters), next_court_date__gte=filters.today
    ).exclude(Exists(later))
    if filters.court:
        sessions = sessions.filter(court_name__icontains=filters.court)
    if filters.date_from:
        sessions = sessions.filter(next_court_date__gte=filters.date_from)
    if filters.date_to:
        sessions = sessions.filter(next_court_date__lte=filters.date_to)
    return sessions.select_related(
        "case", "case__child", "case__assigned_officer", "officer"
    ).order_by("next_court_date", "court_name", "id")


def orders_in_force(*, actor: Actor, filters: CourtFilters) -> QuerySet[CourtOrder]:
    """Court orders whose period includes today (open-ended ones until they end)."""
    today = filters.today
    orders = CourtOrder.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        case__in=_cases(actor, filters),
        starts_on__lte=today,
    )
    if filters.order_code:
        orders = orders.filter(order_code=filters.order_code)
    if filters.court:
        orders = orders.filter(session__court_name__icontains=filters.court)
    return orders.select_related(
        "case", "case__child", "case__assigned_officer", "session"
    ).order_by("ends_on", "starts_on", "id")


def summons_status_q(status: str, today: date) -> Q:
    """The summons of one derived status, as a filter (the same rule as
    ``case_apps.cases.models_court.summons_status``)."""
    past = Q(appear_on__lt=today)
    waiting = Q(honoured__isnull=True) & ~past
    return {
        SummonsStatus.HONOURED: Q(honoured=True),
        SummonsStatus.NOT_HONOURED: Q(honoured=False) | (Q(honoured__isnull=True) & past),
        SummonsStatus.SERVED: waiting & Q(served_on__isnull=False),
        SummonsStatus.ISSUED: waiting & Q(served_on__isnull=True),
    }.get(status, Q())


def summons_list(*, actor: Actor, filters: CourtFilters) -> QuerySet[Summons]:
    """Summons on the actor's cases, filtered by status and by the date to appear."""
    summonses = Summons.objects.filter(case__in=_cases(actor, filters))
    if filters.status:
        summonses = summonses.filter(summons_status_q(filters.status, filters.today))
    if filters.date_from:
        summonses = summonses.filter(appear_on__gte=filters.date_from)
    if filters.date_to:
        summonses = summonses.filter(appear_on__lte=filters.date_to)
    if filters.court:
        summonses = summonses.filter(place__icontains=filters.court)
    return summonses.select_related("case", "case__child", "officer").order_by("-issued_on", "-id")


@dataclass
class CourtPanel:
    sessions: list[CourtSession]
    orders: list[CourtOrder]
    summonses: list[Summons]


def case_court(case: CaseRecord) -> CourtPanel:
    """A case's sessions, orders and summons (the case page's court panel; the case was
    fetched as the member)."""
    return CourtPanel(
        sessions=list(case.court_sessions.select_related("officer")),
        orders=list(case.court_orders.select_related("session")),
        summonses=list(case.summonses.select_related("officer")),
    )


def court_session_get(
    *,
    actor: Actor,
    case_id: int,
    session_id: int,
    permission: Permission = Permission.RECORD_CASES,
) -> CourtSession:
    """A court session of a case, as the actor (``NotFound``/``Forbidden`` as for its case)."""
    case = selectors.case_get(actor=actor, case_id=case_id, permission=permission)
    session = CourtSession.objects.filter(pk=session_id, case=case).first()
    if session is None:
        raise NotFound
    session.case = case
    return session


def court_order_get(
    *,
    actor: Actor,
    case_id: int,
    order_id: int,
    permission: Permission = Permission.RECORD_CASES,
) -> CourtOrder:
    """A court order of a case, as the actor (``NotFound``/``Forbidden`` as for its case)."""
    case = selectors.case_get(actor=actor, case_id=case_id, permission=permission)
    order = CourtOrder.objects.filter(pk=order_id, case=case).first()
    if order is None:
        raise NotFound
    order.case = case
    return order


def summons_get(
    *,
    actor: Actor,
    case_id: int,
    summons_id: int,
    permission: Permission = Permission.RECORD_CASES,
) -> Summons:
    """A summons of a case, as the actor (``NotFound``/``Forbidden`` as for its case)."""
    case = selectors.case_get(actor=actor, case_id=case_id, permission=permission)
    summons = Summons.objects.select_related("officer").filter(pk=summons_id, case=case).first()
    if summons is None:
        raise NotFound
    summons.case = case
    return summons


def summons_document_read(
    *, actor: Actor, case_id: int, summons_id: int, request: HttpRequest | None = None
) -> Summons:
    """A summons opened to be printed: read as its case is (the right to view cases on a
    case the actor sees), the read logged."""
    summons = summons_get(
        actor=actor, case_id=case_id, summons_id=summons_id, permission=Permission.VIEW_CASES
    )
    actor_access_record(actor, "summons", summons.pk, f"summons of case {case_id}", request)
    return summons


@reads_case_rows(CourtSession, Summons)
def court_timeline(case: CaseRecord) -> list[selectors.TimelineEntry]:
    """The case's court sessions (on the session date, with their orders) and summons (on
    the day issued) as timeline entries (case_apps/cases/presenters_court.py reads them)."""
    entries = []
    if has_rows(case, CourtSession):
        entries += [
            selectors.TimelineEntry(s.session_date, "court_session", s.session_type, s)
            for s in case.court_sessions.prefetch_related("orders")
        ]
    if has_rows(case, Summons):
        entries += [
            selectors.TimelineEntry(s.issued_on, "summons", "", s) for s in case.summonses.all()
        ]
    return entries
