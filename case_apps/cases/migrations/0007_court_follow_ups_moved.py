"""Court sessions and summons recorded as follow-ups (types CRTS and SUMM, with their court_*
and summons_* fields) move into their own records: each becomes a CourtSession (with its
court order, in force from the session date) or a Summons, keeping its uuid, officer, dates
and notes, and naming the follow-up it came from (``legacy_follow_up_id``). The follow-up
rows are removed only once copied; nothing is lost. Their national facts move with them
(``facts_move``). Backwards, the records become follow-ups again (their facts are restated
with the case's next restatement)."""

from django.db import migrations
from django.utils import timezone

LEGACY_TYPES = ("CRTS", "SUMM")


def facts_move(apps, follow_up, session, order) -> None:
    """The follow-up's national fact (``case:<id>:followup:<id>``) is withdrawn and, for a
    court session, written again as ``court_session`` and ``court_order`` facts with the same
    de-identified dimensions and date (what case_apps/cases/facts_court.py writes for a new
    session). A fact already withdrawn stays withdrawn."""
    OutboxEvent = apps.get_model("outbox", "OutboxEvent")
    source = f"case:{follow_up.case_id}:followup:{follow_up.pk}"
    latest = OutboxEvent.objects.filter(source=source).order_by("-id").first()
    if latest is None or latest.kind != "follow_up":
        return
    OutboxEvent.objects.create(
        kind="retracted", version=1, payload={}, occurred_at=timezone.now(), source=source
    )
    if session is None:
        return
    prefix = f"case:{follow_up.case_id}"
    facts = [("court_session", session.session_type, f"{prefix}:court_session:{session.pk}")]
    if order is not None:
        facts.append(("court_order", order.order_code, f"{prefix}:court_order:{order.pk}"))
    for kind, category, fact_source in facts:
        OutboxEvent.objects.create(
            kind=kind,
            version=1,
            payload={**latest.payload, "category": category},
            occurred_at=latest.occurred_at,
            source=fact_source,
        )


def is_court(follow_up) -> bool:
    return follow_up.follow_up_type == "CRTS" or bool(
        follow_up.court_session_type or follow_up.court_name or follow_up.court_outcome
    )


def is_summons(follow_up) -> bool:
    return follow_up.follow_up_type == "SUMM" or follow_up.summons_issued_on is not None


def follow_ups_to_records(apps, schema_editor):
    FollowUp = apps.get_model("cases", "FollowUp")
    CourtSession = apps.get_model("cases", "CourtSession")
    CourtOrder = apps.get_model("cases", "CourtOrder")
    Summons = apps.get_model("cases", "Summons")
    moved = []
    for follow_up in FollowUp.objects.filter(follow_up_type__in=LEGACY_TYPES).order_by("id"):
        court, summons = is_court(follow_up), is_summons(follow_up)
        session = order = None
        if court:
            session = CourtSession.objects.create(
                uuid=follow_up.uuid,
                case_id=follow_up.case_id,
                session_date=follow_up.date,
                court_name=follow_up.court_name,
                court_file_number=follow_up.court_file_number,
                session_type=follow_up.court_session_type,
                outcome=follow_up.court_outcome,
                adjournment_reason=follow_up.adjournment_reason,
                next_court_date=follow_up.next_court_date,
                notes=follow_up.notes,
                officer_id=follow_up.officer_id,
                created_at=follow_up.created_at,
                legacy_follow_up_id=follow_up.pk,
            )
            if follow_up.court_order:
                order = CourtOrder.objects.create(
                    case_id=follow_up.case_id,
                    session=session,
                    order_code=follow_up.court_order,
                    starts_on=follow_up.date,
                )
        if summons:
            Summons.objects.create(
                **({} if court else {"uuid": follow_up.uuid}),
                case_id=follow_up.case_id,
                person_name="",
                issued_on=follow_up.summons_issued_on or follow_up.date,
                served_on=follow_up.summons_served_on,
                honoured=follow_up.summons_honoured,
                honoured_on=follow_up.summons_honoured_on,
                notes="" if court else follow_up.notes,
                officer_id=follow_up.officer_id,
                created_at=follow_up.created_at,
                legacy_follow_up_id=follow_up.pk,
            )
        if court or summons:
            facts_move(apps, follow_up, session, order)
            moved.append(follow_up.pk)
    FollowUp.objects.filter(pk__in=moved).delete()


def records_to_follow_ups(apps, schema_editor):
    FollowUp = apps.get_model("cases", "FollowUp")
    CourtSession = apps.get_model("cases", "CourtSession")
    Summons = apps.get_model("cases", "Summons")
    for session in CourtSession.objects.order_by("id"):
        order = session.orders.order_by("id").first()
        FollowUp.objects.create(
            uuid=session.uuid,
            case_id=session.case_id,
            follow_up_type="CRTS",
            date=session.session_date,
            notes=session.notes,
            officer_id=session.officer_id,
            court_name=session.court_name,
            court_file_number=session.court_file_number,
            court_session_type=session.session_type,
            court_outcome=session.outcome,
            adjournment_reason=session.adjournment_reason,
            next_court_date=session.next_court_date,
            court_order=order.order_code if order else "",
            created_at=session.created_at,
        )
    for summons in Summons.objects.order_by("id"):
        FollowUp.objects.create(
            case_id=summons.case_id,
            follow_up_type="SUMM",
            date=summons.issued_on,
            notes=summons.notes,
            officer_id=summons.officer_id,
            summons_issued_on=summons.issued_on,
            summons_served_on=summons.served_on,
            summons_honoured=summons.honoured,
            summons_honoured_on=summons.honoured_on,
            created_at=summons.created_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_court_sessions_summons"),
        ("outbox", "0006_idempotent_request"),
    ]

    operations = [migrations.RunPython(follow_ups_to_records, records_to_follow_ups)]
