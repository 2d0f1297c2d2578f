"""Demo data of HIV care (issue 18 point 4), run after ``demo.ovc_load_demo``: caregivers'
HIV status, and the HEI tests an exposed infant's age has brought due, each entered on the
day it happened (``date_rules.entered_on``)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from case_apps.ovc import date_rules, selectors_hiv, services_care, services_hei
from case_apps.ovc.models import Enrolment, Household
from tenants.actor import Actor
from tenants.models import Membership, Organisation, User


def hiv_load_demo(*, organisation: Organisation, worker: User) -> int:
    """Caregivers' status for every household and the infants' past HEI tests; how many
    records it wrote."""
    actor = Actor(
        user=worker,
        membership=Membership.objects.filter(user=worker, organisation=organisation).first(),
        organisation=organisation,
    )
    today = timezone.localdate()
    written = 0
    for household in Household.objects.prefetch_related("enrolments"):
        enrolments = list(household.enrolments.all())
        if not enrolments:
            continue
        known_on = min(e.registration_date for e in enrolments)
        affected = any(e.hiv_status in ("HSTP", "HHEI") for e in enrolments)
        head = household.members.filter(is_head=True).first()
        if head is None or head.hiv_history.exists():
            continue
        with date_rules.entered_on(known_on):
            services_care.caregiver_hiv_status_record(
                actor=actor,
                household=household,
                member=head,
                hiv_status="HSTP" if affected else "HSTN",
                art_status="ARAR" if affected else "",
                known_on=known_on,
            )
        written += 1
    for infant in Enrolment.objects.filter(hiv_status="HHEI").select_related("child"):
        birth = infant.child.date_of_birth
        for due in selectors_hiv.hei_schedule(infant, birth, today):
            tested_on = due.due_on + timedelta(days=3)
            if due.state == "done" or tested_on > today:
                continue
            with date_rules.entered_on(tested_on):
                services_hei.hei_test_record(
                    actor=actor, enrolment=infant, test=due.test, tested_on=tested_on, result="HSTN"
                )
            written += 1
    return written
