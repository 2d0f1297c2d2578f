"""Follow-ups on a case: services, visits, counselling... (court sessions and summons are
recorded in case_apps/cases/services/court.py)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.cases import facts
from case_apps.cases.models import CaseRecord, FollowUp
from case_apps.cases.services.common import (
    Codes,
    acting_organisation,
    as_actor,
    case_for,
    case_record_remove,
    record_event,
    require_open,
)
from case_apps.cases.services.replays import replay
from tenants.actor import Actor, NotFound
from tenants.models import Organisation

# Court sessions and summons are their own records (case_apps/cases/services/court.py);
# follow-ups recorded with these types and fields before that were moved there (migration
# 0007).
COURT_FOLLOW_UP_TYPES = frozenset({"CRTS", "SUMM"})
COURT_DETAILS = frozenset(
    {
        "court_name",
        "court_file_number",
        "court_session_type",
        "court_outcome",
        "adjournment_reason",
        "next_court_date",
        "court_order",
        "summons_issued_on",
        "summons_served_on",
        "summons_honoured",
        "summons_honoured_on",
    }
)


@transaction.atomic
def follow_up_record(
    *,
    case: CaseRecord,
    actor: Actor,
    organisation: Organisation | None = None,
    follow_up_type: str,
    date: date,
    notes: str = "",
    uuid: UUID | None = None,
    **details,
) -> FollowUp:
    """Record a follow-up: a service, visit, counselling session... (the right to record
    cases, on a case the actor sees). With the client's ``uuid``, a repeat returns the
    follow-up it created (case_apps/cases/services/replays.py)."""
    actor = as_actor(actor, organisation)
    organisation = acting_organisation(actor, organisation)
    case = case_for(actor, case)
    wanted = {"follow_up_type": follow_up_type, "date": date, "notes": notes} | {
        k: v for k, v in details.items() if v not in (None, "")
    }
    if existing := replay(FollowUp.objects.filter(case=case), uuid, wanted):
        return existing
    require_open(case)
    codes = Codes("follow_up_type")
    codes.check("follow_up_type", "follow_up_type", follow_up_type)
    if follow_up_type in COURT_FOLLOW_UP_TYPES:
        codes.add(
            "follow_up_type",
            gettext("Record court sessions and summons with their own forms (Court, Summons)."),
        )
    if date > timezone.localdate():
        codes.add("date", gettext("A follow-up cannot be recorded for a future date."))
    if date < case.date_reported:
        codes.add("date", gettext("A follow-up cannot be before the date the case was reported."))
    for name in details:
        if name in COURT_DETAILS and details[name] not in (None, ""):
            codes.add(name, gettext("Record court sessions and summons with their own forms."))
    codes.raise_if_any()
    follow_up = FollowUp.objects.create(
        case=case,
        follow_up_type=follow_up_type,
        date=date,
        notes=notes,
        officer=actor.user,
        **{k: v for k, v in details.items() if v not in (None, "")},
        **({"uuid": uuid} if uuid is not None else {}),
    )
    facts.follow_up_fact(case, organisation, follow_up)
    record_event(
        case, actor, "follow_up_recorded", reason=f"{follow_up.pk} {follow_up_type}", on=date
    )
    return follow_up


def _follow_up_of(case: CaseRecord, follow_up_id: int) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().filter(pk=follow_up_id, case=case).first()
    if follow_up is None:
        raise NotFound
    return follow_up


@transaction.atomic
def follow_up_date_correct(
    *, actor: Actor, case: CaseRecord | int, follow_up_id: int, date: date
) -> FollowUp:
    """Correct the date of a follow-up (typed wrong from the paper form): the same rule as
    when it was recorded (not in the future, not before the case was reported); its fact
    moves to the corrected date (the right to record cases on a case the actor sees)."""
    case = case_for(actor, case)
    require_open(case)
    follow_up = _follow_up_of(case, follow_up_id)
    if date > timezone.localdate():
        raise ValidationError(
            {"date": [gettext("A follow-up cannot be recorded for a future date.")]}
        )
    if date < case.date_reported:
        raise ValidationError(
            {"date": [gettext("A follow-up cannot be before the date the case was reported.")]}
        )
    if date == follow_up.date:
        return follow_up
    before = follow_up.date
    follow_up.date = date
    follow_up.save(update_fields=["date"])
    record_event(
        case,
        actor,
        "follow_up_date_corrected",
        reason=f"follow-up {follow_up.pk} ({follow_up.follow_up_type}): {before} -> {date}",
    )
    facts.follow_up_fact(case, acting_organisation(actor, None), follow_up)
    return follow_up


@transaction.atomic
def follow_up_delete(
    *, actor: Actor, case: CaseRecord | int, follow_up_id: int, reason: str
) -> FollowUp:
    """Remove a follow-up recorded by mistake, a duplicate or one on the wrong case
    (``case_record_remove``)."""
    return case_record_remove(
        actor=actor,
        case=case,
        model=FollowUp,
        record_id=follow_up_id,
        reason=reason,
        action="follow_up_deleted",
        fact_source="followup",
        describe=lambda follow_up: (
            f"follow-up {follow_up.pk}: {follow_up.follow_up_type} of {follow_up.date}"
        ),
    )
