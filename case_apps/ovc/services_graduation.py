"""Writes of the graduation pathway: benchmark monitoring between two CPARAs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.db import transaction
from django.utils.translation import gettext

from case_apps.ovc import scoring
from case_apps.ovc.date_rules import EVENT_MAX_DAYS_BACK
from case_apps.ovc.models import Household
from case_apps.ovc.models_graduation import BenchmarkMonitoring
from case_apps.ovc.services_common import (
    checks,
    not_future,
    plausible,
    recording_household,
    within_days_back,
)
from tenants.actor import Actor
from tenants.limits import NOTES_MAX_LENGTH


@transaction.atomic
def benchmark_monitoring_record(
    *,
    actor: Actor,
    household: Household | int,
    monitored_on: date,
    met: Mapping[int, bool],
    ready_for_exit: bool = False,
    closure_checked: bool = False,
    notes: str = "",
) -> BenchmarkMonitoring:
    """Record a benchmark monitoring visit: each of the nine benchmarks met or not; a
    household is ready for exit only with all nine met, and the closure is checked only
    for a household ready for exit. Dated by the date rules (at most 90 days back)."""
    household = recording_household(actor, household)
    errors = checks()
    if monitored_on is None:
        errors.add("monitored_on", gettext("This field is required."))
    else:
        not_future(errors, "monitored_on", monitored_on)
        plausible(errors, "monitored_on", monitored_on, None)
        within_days_back(errors, "monitored_on", monitored_on, EVENT_MAX_DAYS_BACK)
    for number in scoring.BENCHMARKS:
        if not isinstance(met.get(number), bool):
            errors.add(f"benchmark_{number}", gettext("Answer met or not met."))
    unknown = set(met) - set(scoring.BENCHMARKS)
    if unknown:
        errors.add(
            "__all__",
            gettext("Unknown benchmarks: %(numbers)s.")
            % {"numbers": ", ".join(str(n) for n in sorted(unknown, key=str))},
        )
    all_met = all(met.get(number) is True for number in scoring.BENCHMARKS)
    if ready_for_exit and not all_met:
        errors.add(
            "ready_for_exit",
            gettext("A household is ready for exit only when all nine benchmarks are met."),
        )
    if closure_checked and not ready_for_exit:
        errors.add(
            "closure_checked",
            gettext("The closure is checked only for a household ready for exit."),
        )
    if len(notes or "") > NOTES_MAX_LENGTH:
        errors.add("notes", gettext("This text is too long."))
    errors.raise_if_any()
    return BenchmarkMonitoring.objects.create(
        household=household,
        monitored_on=monitored_on,
        met={str(number): met[number] for number in sorted(scoring.BENCHMARKS)},
        total=sum(1 for number in scoring.BENCHMARKS if met[number]),
        ready_for_exit=ready_for_exit,
        closure_checked=closure_checked,
        notes=notes or "",
        recorded_by=actor.user,
    )
