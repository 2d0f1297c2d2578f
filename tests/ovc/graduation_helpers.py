"""What the graduation tests share: CPARAs, monitoring visits and exits entered on the day
they record, and a second case worker of beta whose caseload holds none of beta's
fixture households."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from case_apps.ovc import date_rules, services, services_graduation
from tenants.models import Role
from tenants.services import membership_grant
from tests.factories import UserFactory
from tests.ovc.conftest import as_member

TODAY = timezone.localdate


def days_back(n: int) -> date:
    return TODAY() - timedelta(days=n)


def answers_scoring(total: int) -> dict[int, str]:
    """CPARA answers meeting ``total`` of the nine benchmarks (the last ones met)."""
    return {n: "no" if n <= 9 - total else "yes" for n in range(1, 10)}


def met_scoring(total: int) -> dict[int, bool]:
    return {n: n > 9 - total for n in range(1, 10)}


def cpara_on(world, household, day: date, total: int):
    with date_rules.entered_on(day):
        return services.cpara_record(
            actor=as_member(world.beta_worker, world.beta),
            household=household,
            assessed_on=day,
            answers=answers_scoring(total),
        )


def monitoring_on(world, household, day: date, total: int, **extra):
    with date_rules.entered_on(day):
        return services_graduation.benchmark_monitoring_record(
            actor=as_member(world.beta_worker, world.beta),
            household=household,
            monitored_on=day,
            met=met_scoring(total),
            **extra,
        )


def exit_on(world, enrolment, reason: str, day: date):
    with date_rules.entered_on(day):
        return services.enrolment_exit(
            actor=as_member(world.beta_worker, world.beta),
            enrolment=enrolment,
            exit_reason=reason,
            exit_date=day,
        )


def beta_member(world, email: str, role: str = Role.CASE_WORKER):
    user = UserFactory(email=email)
    membership_grant(user=user, organisation=world.beta, roles=[role])
    return user
