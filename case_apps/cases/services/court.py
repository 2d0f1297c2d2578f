"""Court sessions, the orders a court makes, and summons (the right to record cases, on a
case the actor sees and that is open).

Dates are the days things happened, entered by the officer: a session or a summons is not
in the future nor before the case was reported (nor before the child was born); the next
court date and the date to appear are ahead of them. Codes come from the national lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.cases import facts_court
from case_apps.cases.models import CaseRecord
from case_apps.cases.models_court import CourtOrder, CourtSession, Summons
from case_apps.cases.services.common import Codes, case_for, record_event, require_open
from case_apps.cases.services.replays import replay
from shared_registry.plausibility import implausible_date
from tenants.actor import Actor, NotFound

PLEA_SESSION, APPLICATION_SESSION, ADJOURNMENT = "STPL", "STAP", "CADJ"
COURT_LISTS = (
    "court_session_type",
    "court_outcome",
    "adjournment_reason",
    "court_order",
    "court_plea",
    "court_application_outcome",
)


@dataclass(frozen=True)
class CourtOrderInput:
    """An order made at a session; in force from ``starts_on`` (the session date when not
    given) until ``ends_on`` (open-ended when not given)."""

    order_code: str
    starts_on: date | None = None
    ends_on: date | None = None


def _check_day_done(codes: Codes, field: str, day: date, case: CaseRecord, what: str) -> None:
    """The back-dating rule of follow-ups (case_apps/cases/services/follow_ups.py): not in
    the future, not before the case was reported, not before the child was born."""
    if day > timezone.localdate():
        codes.add(field, gettext("%(what)s cannot be in the future.") % {"what": what})
    elif day < case.date_reported:
        codes.add(
            field,
            gettext("%(what)s cannot be before the date the case was reported (%(d)s).")
            % {"what": what, "d": case.date_reported.strftime("%d %b %Y")},
        )
    elif problem := implausible_date(day, case.child):
        codes.add(field, problem)


def _check_orders(codes: Codes, orders: Sequence[CourtOrderInput], session_date: date) -> None:
    for order in orders:
        codes.check("order_code", "court_order", order.order_code)
        starts = order.starts_on or session_date
        if starts < session_date:
            codes.add(
                "order_starts_on",
                gettext("An order cannot be in force before the session that made it."),
            )
        if order.ends_on is not None and order.ends_on < starts:
            codes.add("order_ends_on", gettext("An order cannot end before it starts."))


def _check_session(codes: Codes, case: CaseRecord, data: dict) -> None:
    session_date, session_type = data["session_date"], data["session_type"]
    if not data["court_name"].strip():
        codes.add("court_name", gettext("Name the court."))
    codes.check("session_type", "court_session_type", session_type)
    _check_day_done(codes, "session_date", session_date, case, gettext("A court session"))
    for field, list_name, session in (
        ("plea", "court_plea", PLEA_SESSION),
        ("application_outcome", "court_application_outcome", APPLICATION_SESSION),
    ):
        codes.check(field, list_name, data[field], required=False)
        if data[field] and session_type != session:
            codes.add(field, gettext("Only for a session of that type."))
    outcome = data["outcome"]
    codes.check("outcome", "court_outcome", outcome)
    codes.check(
        "adjournment_reason", "adjournment_reason", data["adjournment_reason"], required=False
    )
    next_date = data["next_court_date"]
    if outcome == ADJOURNMENT:
        if not data["adjournment_reason"]:
            codes.add("adjournment_reason", gettext("Say what the case was adjourned for."))
        if next_date is None:
            codes.add("next_court_date", gettext("An adjournment needs the next court date."))
    elif data["adjournment_reason"]:
        codes.add("adjournment_reason", gettext("Only for an adjournment."))
    if next_date is not None and next_date <= session_date:
        codes.add("next_court_date", gettext("The next court date must be after the session date."))


@transaction.atomic
def court_session_record(
    *,
    actor: Actor,
    case: CaseRecord | int,
    session_date: date,
    court_name: str,
    session_type: str,
    outcome: str,
    court_file_number: str = "",
    plea: str = "",
    application_outcome: str = "",
    adjournment_reason: str = "",
    next_court_date: date | None = None,
    orders: Sequence[CourtOrderInput] = (),
    notes: str = "",
    uuid: UUID | None = None,
) -> CourtSession:
    """Record a court session with its outcome and the orders made. With the client's
    ``uuid``, a repeat returns the session it created (case_apps/cases/services/replays.py)."""
    case = case_for(actor, case)
    data = {
        "session_date": session_date,
        "court_name": (court_name or "").strip(),
        "court_file_number": (court_file_number or "").strip(),
        "session_type": session_type or "",
        "plea": plea or "",
        "application_outcome": application_outcome or "",
        "outcome": outcome or "",
        "adjournment_reason": adjournment_reason or "",
        "next_court_date": next_court_date,
        "notes": notes or "",
    }
    if existing := replay(CourtSession.objects.filter(case=case), uuid, data):
        return existing
    require_open(case)
    codes = Codes(*COURT_LISTS)
    _check_session(codes, case, data)
    _check_orders(codes, orders, session_date)
    codes.raise_if_any()
    session = CourtSession.objects.create(
        case=case, officer=actor.user, **data, **({"uuid": uuid} if uuid else {})
    )
    for order in orders:
        CourtOrder.objects.create(
            case=case,
            session=session,
            order_code=order.order_code,
            starts_on=order.starts_on or session_date,
            ends_on=order.ends_on,
        )
    what = f"{session_type} {outcome} at {data['court_name']} on {session_date}"
    if next_court_date:
        what += f"; next {next_court_date}"
    record_event(case, actor, "court_session_recorded", reason=what)
    facts_court.court_session_facts(case, actor, session)
    return session


@transaction.atomic
def court_order_record(
    *,
    actor: Actor,
    case: CaseRecord | int,
    session_id: int,
    order_code: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> CourtOrder:
    """Add an order made at a session already recorded."""
    case = case_for(actor, case)
    require_open(case)
    session = CourtSession.objects.filter(pk=session_id, case=case).first()
    if session is None:
        raise NotFound
    codes = Codes("court_order")
    order = CourtOrderInput(order_code, starts_on, ends_on)
    _check_orders(codes, [order], session.session_date)
    codes.raise_if_any()
    created = CourtOrder.objects.create(
        case=case,
        session=session,
        order_code=order_code,
        starts_on=starts_on or session.session_date,
        ends_on=ends_on,
    )
    record_event(
        case, actor, "court_order_recorded", reason=f"{order_code} from {created.starts_on}"
    )
    facts_court.court_order_fact(case, actor, created)
    return created


@transaction.atomic
def court_order_end(
    *, actor: Actor, case: CaseRecord | int, order_id: int, ends_on: date
) -> CourtOrder:
    """Record the day an order ends (expiry, revocation): not before it started."""
    case = case_for(actor, case)
    require_open(case)
    order = CourtOrder.objects.select_for_update().filter(pk=order_id, case=case).first()
    if order is None:
        raise NotFound
    codes = Codes()
    if ends_on < order.starts_on:
        codes.add("ends_on", gettext("An order cannot end before it starts."))
    codes.raise_if_any()
    order.ends_on = ends_on
    order.save(update_fields=["ends_on"])
    record_event(case, actor, "court_order_ended", reason=f"{order.order_code} until {ends_on}")
    return order


@transaction.atomic
def summons_issue(
    *,
    actor: Actor,
    case: CaseRecord | int,
    person_name: str,
    issued_on: date,
    appear_on: date,
    place: str,
    person_role: str = "",
    appear_at: time | None = None,
    notes: str = "",
    uuid: UUID | None = None,
) -> Summons:
    """Issue a summons calling a person to appear on a date, at a place."""
    case = case_for(actor, case)
    data = {
        "person_name": (person_name or "").strip(),
        "person_role": (person_role or "").strip(),
        "issued_on": issued_on,
        "appear_on": appear_on,
        "appear_at": appear_at,
        "place": (place or "").strip(),
        "notes": notes or "",
    }
    if existing := replay(Summons.objects.filter(case=case), uuid, data):
        return existing
    require_open(case)
    codes = Codes()
    if not data["person_name"]:
        codes.add("person_name", gettext("Name the person summoned."))
    if not data["place"]:
        codes.add("place", gettext("Say where the person must appear."))
    _check_day_done(codes, "issued_on", issued_on, case, gettext("A summons"))
    if appear_on is None:
        codes.add("appear_on", gettext("Give the date to appear."))
    elif appear_on < issued_on:
        codes.add("appear_on", gettext("The date to appear cannot be before the summons."))
    codes.raise_if_any()
    summons = Summons.objects.create(
        case=case, officer=actor.user, **data, **({"uuid": uuid} if uuid else {})
    )
    record_event(
        case,
        actor,
        "summons_issued",
        reason=f"summons {summons.pk} issued {issued_on}, to appear {appear_on}",
    )
    return summons


def _summons_of(case: CaseRecord, summons_id: int) -> Summons:
    summons = Summons.objects.select_for_update().filter(pk=summons_id, case=case).first()
    if summons is None:
        raise NotFound
    return summons


@transaction.atomic
def summons_serve(
    *, actor: Actor, case: CaseRecord | int, summons_id: int, served_on: date
) -> Summons:
    """Record the day the summons was served on the person."""
    case = case_for(actor, case)
    require_open(case)
    summons = _summons_of(case, summons_id)
    codes = Codes()
    if served_on is None:
        codes.add("served_on", gettext("Give the date the summons was served."))
    elif served_on > timezone.localdate():
        codes.add("served_on", gettext("A summons cannot be served in the future."))
    elif served_on < summons.issued_on:
        codes.add("served_on", gettext("A summons cannot be served before it is issued."))
    codes.raise_if_any()
    summons.served_on = served_on
    summons.save(update_fields=["served_on"])
    record_event(case, actor, "summons_served", reason=f"summons {summons.pk} served {served_on}")
    return summons


@transaction.atomic
def summons_honour(
    *,
    actor: Actor,
    case: CaseRecord | int,
    summons_id: int,
    honoured: bool,
    honoured_on: date | None = None,
) -> Summons:
    """Record whether the person came: honoured on a day, or not honoured."""
    case = case_for(actor, case)
    require_open(case)
    summons = _summons_of(case, summons_id)
    codes = Codes()
    if honoured:
        if honoured_on is None:
            codes.add("honoured_on", gettext("Give the date the summons was honoured."))
        elif honoured_on > timezone.localdate():
            codes.add("honoured_on", gettext("A summons cannot be honoured in the future."))
        elif honoured_on < summons.issued_on:
            codes.add("honoured_on", gettext("A summons cannot be honoured before it is issued."))
    elif honoured_on is not None:
        codes.add("honoured_on", gettext("A date is given only when the summons was honoured."))
    codes.raise_if_any()
    summons.honoured = bool(honoured)
    summons.honoured_on = honoured_on if honoured else None
    summons.save(update_fields=["honoured", "honoured_on"])
    outcome = f"honoured {honoured_on}" if honoured else "not honoured"
    record_event(case, actor, "summons_honoured", reason=f"summons {summons.pk} {outcome}")
    return summons
