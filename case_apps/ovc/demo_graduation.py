"""Demo benchmark monitoring for the embedded mode: run after ``demo.ovc_load_demo`` in
the same workspace, so the household pages' graduation panel and the graduation dashboard
have a trend to show. Everything goes through ``services_graduation``."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from case_apps.ovc import date_rules, scoring, selectors, services_graduation
from case_apps.ovc.models import Household
from case_apps.ovc.models_graduation import BenchmarkMonitoring
from tenants.actor import Actor
from tenants.models import Membership, Organisation, User


@transaction.atomic
def ovc_graduation_demo(*, organisation: Organisation, worker: User) -> int:
    """One monitoring visit per household with a CPARA, a month after it (at most today):
    the CPARA's benchmarks, with the first unmet one now met. Does nothing when any
    monitoring exists; returns how many visits it recorded."""
    if BenchmarkMonitoring.objects.exists():
        return 0
    membership = Membership.objects.get(user=worker, organisation=organisation)
    actor = Actor(user=worker, membership=membership, organisation=organisation)
    today = timezone.localdate()
    recorded = 0
    for household in Household.objects.order_by("id"):
        cpara = selectors.cpara_latest(household=household)
        if cpara is None:
            continue
        met = {n: cpara.answers.get(str(n)) != scoring.NO for n in scoring.BENCHMARKS}
        unmet = [n for n, ok in met.items() if not ok]
        if unmet:
            met[unmet[0]] = True
        day = min(cpara.assessed_on + timedelta(days=30), today)
        all_met = all(met.values())
        with date_rules.entered_on(day):
            services_graduation.benchmark_monitoring_record(
                actor=actor,
                household=household,
                monitored_on=day,
                met=met,
                ready_for_exit=all_met,
                closure_checked=all_met and not unmet,
            )
        recorded += 1
    return recorded
