"""Demo data of Form 1B (issue 18 point 8), run after ``demo.ovc_load_demo``: a few services
to each household's head (cash transfer, savings group, parenting programme), each entered on
the day it happened (``date_rules.entered_on``)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from case_apps.ovc import date_rules
from case_apps.ovc.models import Household
from case_apps.ovc.services_form1b import caregiver_service_record
from tenants.actor import Actor
from tenants.models import Membership, Organisation, User

DEMO_SERVICES = (
    ("stable", "F1BST01", "County social protection office", 40),
    ("stable", "F1BST02", "CHV", 25),
    ("safe", "F1BSA01", "Implementing partner", 10),
)


def form1b_load_demo(*, organisation: Organisation, worker: User) -> int:
    """Form 1B services to the head of every household without any yet; how many records
    it wrote."""
    actor = Actor(
        user=worker,
        membership=Membership.objects.filter(user=worker, organisation=organisation).first(),
        organisation=organisation,
    )
    today = timezone.localdate()
    written = 0
    heads_alive = Household.objects.filter(members__is_head=True, members__alive=True)
    for household in heads_alive.filter(caregiver_services__isnull=True).distinct():
        for domain, service, provider, days_back in DEMO_SERVICES:
            day = today - timedelta(days=days_back)
            with date_rules.entered_on(day):
                caregiver_service_record(
                    actor=actor,
                    household=household,
                    domain=domain,
                    service=service,
                    provider=provider,
                    date=day,
                )
            written += 1
    return written
