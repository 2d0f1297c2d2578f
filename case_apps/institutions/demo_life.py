"""Demo life in the institution (issue 19): for the organisation's running admissions, a
leave the child came back from, an education record, a case conference and a care plan with
a review. Idempotent (an admission that has any life record is left alone); does nothing
when the organisation has no running admission (run it after the admissions demo, inside
the organisation's workspace)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from case_apps.institutions import selectors_life, services_life
from case_apps.institutions.models import Admission
from tenants.actor import Forbidden, NotFound, member_actor
from tenants.models import Organisation, User
from tenants.policy import Permission

SCHOOLS = ("Kisumu Union Primary School", "Tumaini Vocational Centre", "Nyalenda Secondary")


def _has_life(admission: Admission) -> bool:
    return any(
        related.exists()
        for related in (
            admission.leaves,
            admission.education_records,
            admission.conferences,
            admission.care_plans,
        )
    )


def _visible(actor, admission: Admission) -> bool:
    try:
        selectors_life.admission_get(
            actor=actor, admission_id=admission.pk, permission=Permission.RECORD_CASES
        )
    except (NotFound, Forbidden):
        return False
    return True


@transaction.atomic
def life_load_demo(*, organisation: Organisation, worker: User) -> int:
    """Life records on each running admission that has none yet; returns how many
    admissions were given them."""
    actor = member_actor(worker, organisation)
    today = timezone.localdate()
    given = 0
    running = Admission.objects.filter(discharged_on__isnull=True).order_by("pk")
    for index, admission in enumerate(running):
        if _has_life(admission):
            continue
        start = admission.admitted_on
        days = (today - start).days
        if days < 2 or not _visible(actor, admission):
            continue  # too recent to have a life here yet, or not the worker's case
        services_life.education_record(
            actor=actor,
            admission=admission,
            school_name=SCHOOLS[index % len(SCHOOLS)],
            level="SLTV" if index % len(SCHOOLS) == 1 else "SLPR",
            class_name="Grade 5",
            started_on=start,
        )
        plan_on = start + timedelta(days=1)
        plan = services_life.care_plan_record(
            actor=actor,
            admission=admission,
            drawn_up_on=plan_on,
            review_due_on=plan_on + timedelta(days=90),
            health_goals="Complete immunisation; dental check-up.",
            education_goals="Attend school every day; reading support twice a week.",
            family_goals="Trace the family; monthly visits by the grandmother.",
        )
        services_life.care_plan_review(
            actor=actor,
            admission=admission,
            plan_id=plan.pk,
            reviewed_on=today,
            progress="Settled in; attends school; family traced in Nyalenda.",
            next_review_on=today + timedelta(days=90),
        )
        services_life.conference_record(
            actor=actor,
            admission=admission,
            held_on=plan_on,
            attendees="Manager, social worker, house mother, sub-county children officer",
            decisions="Keep in care; start family tracing; enrol in school.",
            next_on=today + timedelta(days=60),
        )
        if days >= 4:
            left_on = start + timedelta(days=1)
            leave = services_life.leave_record(
                actor=actor,
                admission=admission,
                left_on=left_on,
                due_back_on=left_on + timedelta(days=2),
                destination="Grandmother, Nyalenda B",
                reason="Family visit ahead of reintegration.",
            )
            services_life.leave_return(
                actor=actor,
                admission=admission,
                leave_id=leave.pk,
                returned_on=min(left_on + timedelta(days=2), today),
            )
        given += 1
    return given
