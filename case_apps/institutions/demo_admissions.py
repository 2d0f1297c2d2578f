"""Demo admissions (issue 19), run inside tumaini's workspace (a CCI) after its demo cases
(case_apps/cases/demo.py): four of its demo children admitted, two by court committal (one
past its expected exit, one due for discharge within 30 days), one an emergency placement,
and one admitted and since discharged to the family."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from case_apps.cases.models import CaseRecord
from case_apps.institutions.models import Admission, AdmissionSource
from case_apps.institutions.services_admissions import admission_record, resident_discharge
from shared_registry.models import Person
from shared_registry.services_residence import residence_current
from tenants.actor import member_actor
from tenants.models import Organisation, User

# first name, days ago admitted, source, committal period in days, days ago discharged
DEMO_ADMISSIONS = (
    ("Brian", 33, AdmissionSource.COURT, 30, None),  # an overstay (exit 3 days ago)
    ("Wanjiru", 27, AdmissionSource.COURT, 42, None),  # due for discharge in 15 days
    ("Hassan", 20, AdmissionSource.DIRECT, None, None),  # an emergency placement
    ("Kevin", 9, AdmissionSource.DIRECT, None, 2),  # discharged: reintegrated
)


def _case_of(first_name: str) -> CaseRecord | None:
    cases = CaseRecord.objects.order_by("pk")
    child = (
        Person.objects.filter(
            pk__in=list(cases.values_list("child_id", flat=True)), first_name__iexact=first_name
        )
        .order_by("pk")
        .first()
    )
    return cases.filter(child_id=child.pk).first() if child else None


@transaction.atomic
def admissions_load_demo(*, organisation: Organisation, worker: User) -> int:
    """Admit tumaini's demo children (inside its workspace); does nothing when it has
    admissions already. Returns how many admissions it wrote."""
    if Admission.objects.exists():
        return 0
    actor = member_actor(worker, organisation)
    today = timezone.localdate()
    written = 0
    for index, (first_name, days_ago, source, period, discharged_ago) in enumerate(
        DEMO_ADMISSIONS, start=1
    ):
        case = _case_of(first_name)
        if case is None or not case.is_open or residence_current(case.child_id):
            continue
        admitted_on = max(today - timedelta(days=days_ago), case.date_reported)
        court = source == AdmissionSource.COURT
        admission = admission_record(
            actor=actor,
            case=case,
            admitted_on=admitted_on,
            admission_type="TANA",
            admission_reason="RAOF" if first_name == "Brian" else "RACP",
            source=source,
            admission_number=f"TUM/{today.year}/{index:03d}",
            is_emergency=first_name == "Hassan",
            committal_order_number=f"CCO {40 + index}/{today.year}" if court else "",
            committal_court="Kisumu Children's Court" if court else "",
            committal_on=admitted_on if court else None,
            committal_period=period,
            committal_period_unit="days" if period else "",
            notes="Demo admission.",
        )
        written += 1
        if discharged_ago is not None:
            resident_discharge(
                actor=actor,
                admission=admission,
                discharged_on=max(today - timedelta(days=discharged_ago), admitted_on),
                discharge_type="DTRI",
                notes="Demo: returned to the family after a family conference.",
            )
    return written
