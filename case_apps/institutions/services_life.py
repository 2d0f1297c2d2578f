"""Life in the institution (issue 19): leave of absence and return from it, adverse events
(an escape or a death ends the residence), the return after an escape (a new admission of
type TARE on the same case), education, case conferences, the individual care plan and its
reviews.

Every write needs the right to record cases on the admission's case. Dates are the days
things happened: not in the future, not before the admission (a return: not before the
escape), never implausible for the child; a running residence is needed for everything but
the return. Each write is kept on the case's history dated by the day it happened.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext

from case_apps.cases.models import CaseRecord
from case_apps.cases.services.common import (
    CaseStateError,
    Codes,
    as_actor,
    case_for,
    record_event,
    require_open,
)
from case_apps.institutions.models import Admission, AdmissionSource, ResidentialStatus
from case_apps.institutions.models_life import (
    CARE_PLAN_DOMAINS,
    DIED,
    ESCAPED,
    AdverseEvent,
    CarePlan,
    CarePlanReview,
    CaseConference,
    EducationRecord,
    LeaveOfAbsence,
)
from case_apps.institutions.services_admissions import admission_record, resident_discharge
from shared_registry.plausibility import implausible_date
from tenants.actor import Actor, NotFound
from tenants.models import Organisation

ENDS_RESIDENCE = {ESCAPED: ResidentialStatus.ESCAPED, DIED: ResidentialStatus.DIED}


def _day(value: date) -> str:
    return formats.date_format(value, "j M Y")


def _admission_for(actor: Actor, admission: Admission | int) -> tuple[Admission, CaseRecord]:
    """The admission, locked, and its case as the actor with the right to record cases
    (``NotFound`` when missing or its case not visible)."""
    admission_id = admission.pk if isinstance(admission, Admission) else admission
    found = Admission.objects.select_for_update().filter(pk=admission_id).first()
    if found is None:
        raise NotFound
    case = case_for(as_actor(actor), found.case_id)
    found.case = case
    return found, case


def _running(admission: Admission, case: CaseRecord) -> None:
    require_open(case)
    if not admission.is_resident:
        raise CaseStateError(
            gettext("The child is no longer resident here (%(status)s on %(d)s).")
            % {
                "status": admission.get_residential_status_display().lower(),
                "d": _day(admission.discharged_on),
            }
        )


def check_day(
    codes: Codes,
    field: str,
    day: date | None,
    case: CaseRecord,
    not_before: date,
    what: str,
) -> None:
    """A day something happened: given, not in the future, not before ``not_before`` (the
    admission, or the escape), not implausible for the child."""
    if day is None:
        codes.add(field, gettext("Give the date."))
    elif day > timezone.localdate():
        codes.add(field, gettext("%(what)s cannot be in the future.") % {"what": what})
    elif day < not_before:
        codes.add(
            field,
            gettext("%(what)s cannot be before %(d)s.") % {"what": what, "d": _day(not_before)},
        )
    elif problem := implausible_date(day, case.child):
        codes.add(field, problem)


def _text(value: str | None) -> str:
    return (value or "").strip()


def _required(codes: Codes, field: str, value: str, message: str) -> None:
    if not value:
        codes.add(field, message)


@transaction.atomic
def leave_record(
    *,
    actor: Actor,
    admission: Admission | int,
    left_on: date,
    due_back_on: date,
    destination: str,
    reason: str,
) -> LeaveOfAbsence:
    """The child leaves with permission until ``due_back_on``; the residence runs on. One
    leave at a time."""
    admission, case = _admission_for(actor, admission)
    _running(admission, case)
    destination, reason = _text(destination), _text(reason)
    codes = Codes()
    check_day(codes, "left_on", left_on, case, admission.admitted_on, gettext("A leave"))
    if due_back_on is None:
        codes.add("due_back_on", gettext("Give the date the child is due back."))
    elif left_on is not None and due_back_on < left_on:
        codes.add("due_back_on", gettext("The child cannot be due back before leaving."))
    _required(codes, "destination", destination, gettext("Say where and with whom."))
    _required(codes, "reason", reason, gettext("Give the reason for the leave."))
    if admission.leaves.filter(returned_on__isnull=True).exists():
        codes.add("left_on", gettext("The child has not come back from the last leave."))
    codes.raise_if_any()
    leave = LeaveOfAbsence.objects.create(
        admission=admission,
        left_on=left_on,
        due_back_on=due_back_on,
        destination=destination,
        reason=reason,
        officer=actor.user,
    )
    record_event(
        case, actor, "leave_recorded", reason=f"leave {leave.pk} until {due_back_on}", on=left_on
    )
    return leave


@transaction.atomic
def leave_return(
    *, actor: Actor, admission: Admission | int, leave_id: int, returned_on: date
) -> LeaveOfAbsence:
    """The child came back from leave on ``returned_on``."""
    admission, case = _admission_for(actor, admission)
    _running(admission, case)
    leave = admission.leaves.select_for_update().filter(pk=leave_id).first()
    if leave is None:
        raise NotFound
    codes = Codes()
    if leave.returned_on is not None:
        codes.add("returned_on", gettext("The child is already back from this leave."))
    else:
        check_day(codes, "returned_on", returned_on, case, leave.left_on, gettext("A return"))
    codes.raise_if_any()
    leave.returned_on = returned_on
    leave.save(update_fields=["returned_on"])
    record_event(
        case, actor, "leave_returned", reason=f"leave {leave.pk} back {returned_on}", on=returned_on
    )
    return leave


@transaction.atomic
def adverse_event_record(
    *,
    actor: Actor,
    admission: Admission | int,
    event_code: str,
    occurred_on: date,
    notes: str = "",
    organisation: Organisation | None = None,
) -> AdverseEvent:
    """An adverse event; an escape (``AEES``) or a death (``AEDE``) ends the residence on
    the day, in the same transaction."""
    admission, case = _admission_for(actor, admission)
    _running(admission, case)
    codes = Codes("adverse_event")
    codes.check("event_code", "adverse_event", event_code)
    check_day(codes, "occurred_on", occurred_on, case, admission.admitted_on, gettext("An event"))
    codes.raise_if_any()
    event = AdverseEvent.objects.create(
        admission=admission,
        event_code=event_code,
        occurred_on=occurred_on,
        notes=_text(notes),
        officer=actor.user,
    )
    record_event(
        case, actor, "adverse_event_recorded", reason=f"{event_code} {occurred_on}", on=occurred_on
    )
    if status := ENDS_RESIDENCE.get(event_code):
        resident_discharge(
            actor=actor,
            admission=admission,
            discharged_on=occurred_on,
            status=status,
            notes=_text(notes),
            organisation=organisation,
        )
    return event


def return_of(admission: Admission) -> Admission | None:
    """The admission that followed this one (the child's return), if any."""
    return Admission.objects.filter(previous_admission=admission).first()


@transaction.atomic
def resident_return(
    *,
    actor: Actor,
    admission: Admission | int,
    returned_on: date,
    admission_number: str = "",
    notes: str = "",
    organisation: Organisation | None = None,
) -> Admission:
    """The child came back after escaping (a new admission of type TARE on the same case) or
    after a temporary release, on licence or under supervision (TATR), following the ended
    one; refused (naming it) when the child was admitted elsewhere meanwhile."""
    ended, case = _admission_for(actor, admission)
    return_type = ended.return_type
    if not return_type:
        raise CaseStateError(
            gettext(
                "Only a child who escaped, or was released on licence or under supervision, "
                "can be recorded as returned."
            )
        )
    if return_of(ended) is not None:
        raise CaseStateError(gettext("The return of this child is already recorded."))
    codes = Codes()
    check_day(codes, "returned_on", returned_on, case, ended.discharged_on, gettext("A return"))
    codes.raise_if_any()
    returned = admission_record(
        actor=actor,
        case=case,
        organisation=organisation,
        admitted_on=returned_on,
        admission_type=return_type,
        admission_reason=ended.admission_reason,
        source=AdmissionSource.RETURN,
        previous_admission=ended,
        admission_number=_text(admission_number),
        is_emergency=ended.is_emergency,
        committal_order_number=ended.committal_order_number,
        committal_court=ended.committal_court,
        committal_on=ended.committal_on,
        ob_number=ended.ob_number,
        expected_exit_on=ended.expected_exit_on,
        notes=_text(notes),
    )
    record_event(
        case, actor, "resident_returned", reason=f"{ended.pk} -> {returned.pk}", on=returned_on
    )
    return returned


@transaction.atomic
def education_record(
    *,
    actor: Actor,
    admission: Admission | int,
    school_name: str,
    level: str,
    started_on: date,
    class_name: str = "",
    notes: str = "",
) -> EducationRecord:
    """The school or training the child attends from ``started_on`` (a school the child
    attended before the admission is recorded from the day of admission)."""
    admission, case = _admission_for(actor, admission)
    _running(admission, case)
    school_name = _text(school_name)
    codes = Codes("ovc_school_level")
    _required(codes, "school_name", school_name, gettext("Name the school or training centre."))
    codes.check("level", "ovc_school_level", level)
    check_day(
        codes, "started_on", started_on, case, admission.admitted_on, gettext("A school start")
    )
    codes.raise_if_any()
    record = EducationRecord.objects.create(
        admission=admission,
        school_name=school_name,
        level=level,
        class_name=_text(class_name),
        started_on=started_on,
        notes=_text(notes),
        officer=actor.user,
    )
    record_event(
        case, actor, "education_recorded", reason=f"{level} from {started_on}", on=started_on
    )
    return record


@transaction.atomic
def conference_record(
    *,
    actor: Actor,
    admission: Admission | int,
    held_on: date,
    attendees: str,
    decisions: str,
    next_on: date | None = None,
) -> CaseConference:
    """A case conference held on the child: who attended, what was decided, the next."""
    admission, case = _admission_for(actor, admission)
    _running(admission, case)
    attendees, decisions = _text(attendees), _text(decisions)
    codes = Codes()
    check_day(codes, "held_on", held_on, case, admission.admitted_on, gettext("A conference"))
    _required(codes, "attendees", attendees, gettext("Say who attended."))
    _required(codes, "decisions", decisions, gettext("Write what was decided."))
    if next_on is not None and held_on is not None and next_on <= held_on:
        codes.add("next_on", gettext("The next conference must be after this one."))
    codes.raise_if_any()
    conference = CaseConference.objects.create(
        admission=admission,
        held_on=held_on,
        attendees=attendees,
        decisions=decisions,
        next_on=next_on,
        officer=actor.user,
    )
    record_event(case, actor, "conference_recorded", reason=f"held {held_on}", on=held_on)
    return conference


@transaction.atomic
def care_plan_record(
    *,
    actor: Actor,
    admission: Admission | int,
    drawn_up_on: date,
    review_due_on: date,
    **goals: str,
) -> CarePlan:
    """The individual care plan: goals in one domain or more, and when it is reviewed."""
    admission, case = _admission_for(actor, admission)
    _running(admission, case)
    known = {field for field, _label in CARE_PLAN_DOMAINS}
    if unknown := set(goals) - known:
        raise TypeError(f"unknown care plan domains: {sorted(unknown)}")
    goals = {field: _text(goals.get(field)) for field in known}
    codes = Codes()
    check_day(codes, "drawn_up_on", drawn_up_on, case, admission.admitted_on, gettext("A plan"))
    if not any(goals.values()):
        codes.add("health_goals", gettext("Write the goals of one domain or more."))
    if review_due_on is None:
        codes.add("review_due_on", gettext("Give the date the plan is due for review."))
    elif drawn_up_on is not None and review_due_on <= drawn_up_on:
        codes.add("review_due_on", gettext("The review must be after the plan is drawn up."))
    codes.raise_if_any()
    plan = CarePlan.objects.create(
        admission=admission,
        drawn_up_on=drawn_up_on,
        review_due_on=review_due_on,
        officer=actor.user,
        **goals,
    )
    record_event(
        case, actor, "care_plan_recorded", reason=f"review due {review_due_on}", on=drawn_up_on
    )
    return plan


@transaction.atomic
def care_plan_review(
    *,
    actor: Actor,
    admission: Admission | int,
    plan_id: int,
    reviewed_on: date,
    progress: str,
    next_review_on: date,
) -> CarePlanReview:
    """A review of the care plan: its progress, and the next review's date (which becomes
    the plan's)."""
    admission, case = _admission_for(actor, admission)
    _running(admission, case)
    plan = admission.care_plans.select_for_update().filter(pk=plan_id).first()
    if plan is None:
        raise NotFound
    progress = _text(progress)
    codes = Codes()
    check_day(codes, "reviewed_on", reviewed_on, case, plan.drawn_up_on, gettext("A review"))
    _required(codes, "progress", progress, gettext("Describe the progress made."))
    if next_review_on is None:
        codes.add("next_review_on", gettext("Give the date of the next review."))
    elif reviewed_on is not None and next_review_on <= reviewed_on:
        codes.add("next_review_on", gettext("The next review must be after this one."))
    codes.raise_if_any()
    review = CarePlanReview.objects.create(
        plan=plan,
        reviewed_on=reviewed_on,
        progress=progress,
        next_review_on=next_review_on,
        officer=actor.user,
    )
    plan.review_due_on = next_review_on
    plan.save(update_fields=["review_due_on"])
    record_event(
        case,
        actor,
        "care_plan_reviewed",
        reason=f"plan {plan.pk} reviewed {reviewed_on}, next {next_review_on}",
        on=reviewed_on,
    )
    return review
