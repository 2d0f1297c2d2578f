"""What court work tells national statistics: a ``court_session`` fact per session (category:
the session type) and a ``court_order`` fact per order (category: the order code), both
dated by the session date (case_apps/cases/facts.py writes and restates them)."""

from __future__ import annotations

from case_apps.cases import facts
from case_apps.cases.models import CaseRecord
from case_apps.cases.models_court import CourtOrder, CourtSession
from case_apps.cases.services.common import acting_organisation
from tenants.actor import Actor
from tenants.models import Organisation


def session_fact(case: CaseRecord, organisation: Organisation, session: CourtSession) -> None:
    facts._record(
        case,
        organisation,
        "court_session",
        session.session_date,
        f"court_session:{session.pk}",
        session.session_type,
    )


def order_fact(case: CaseRecord, organisation: Organisation, order: CourtOrder) -> None:
    facts._record(
        case,
        organisation,
        "court_order",
        order.session.session_date,
        f"court_order:{order.pk}",
        order.order_code,
    )


def court_session_facts(case: CaseRecord, actor: Actor, session: CourtSession) -> None:
    """The facts of a session just recorded and of the orders made at it."""
    organisation = acting_organisation(actor, None)
    session_fact(case, organisation, session)
    for order in session.orders.all():
        order.session = session
        order_fact(case, organisation, order)


def court_order_fact(case: CaseRecord, actor: Actor, order: CourtOrder) -> None:
    order_fact(case, acting_organisation(actor, None), order)


def court_facts_restate(case: CaseRecord, organisation: Organisation) -> None:
    """Every court fact of the case again (case_apps.cases.facts.case_facts_restate)."""
    for session in case.court_sessions.all():
        session_fact(case, organisation, session)
    for order in case.court_orders.select_related("session"):
        order_fact(case, organisation, order)
