"""The OVC facts are enough for MER OVC_SERV: drained into national facts, the active,
graduated and exited beneficiaries equal the hand count."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from case_apps.ovc import date_rules, services
from national_statistics.drain import drain_organisation
from national_statistics.mer import ovc_serv
from national_statistics.selectors import StatisticsScope
from national_statistics.suppression import TOTAL
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child
from tests.ovc.conftest import ALL_MET, as_member, enrol, make_caregiver

pytestmark = pytest.mark.django_db


def _fiscal_year_start(day: date) -> date:
    return date(day.year if day.month >= 10 else day.year - 1, 10, 1)


def _total(report, row: str) -> int:
    return report.values.get((row, TOTAL), 0)


def test_ovc_serv_counts_the_programme_facts(world):
    today = timezone.localdate()
    current = _fiscal_year_start(today)
    previous = date(current.year - 1, 10, 1)  # the last complete APR: Oct to Sep
    apr_end_month = date(current.year, 9, 1)
    months = 6 if today.month >= 10 or today.month <= 3 else 12
    end_month = date(current.year + 1, 3, 1) if months == 6 else date(current.year + 1, 9, 1)
    scope = StatisticsScope(organisation_id=world.beta.pk)
    before_previous = ovc_serv(scope, previous, apr_end_month)  # committed facts of others
    before_current = ovc_serv(scope, current, end_month)
    with workspace_context(world.beta):
        household = services.household_register(
            actor=as_member(world.beta_worker, world.beta), head=make_caregiver()
        )
        served = [
            enrol(
                world.beta,
                world.beta_worker,
                household,
                child=make_child(f"Served{n}", "Wanjiku"),
                registration_date=previous,
            )
            for n in range(3)
        ]
        for enrolment in served:
            for day in (date(current.year, 5, 10), date(current.year, 8, 10)):
                with date_rules.entered_on(day):
                    services.service_record(
                        actor=as_member(world.beta_worker, world.beta),
                        enrolment=enrolment,
                        domain="healthy",
                        service="CP212HE",
                        provider="CHV",
                        date=day,
                    )
        # served in one quarter only: not active
        once = enrol(
            world.beta,
            world.beta_worker,
            household,
            child=make_child("Once", "Wanjiku"),
            registration_date=previous,
        )
        with date_rules.entered_on(date(current.year, 8, 1)):
            services.service_record(
                actor=as_member(world.beta_worker, world.beta),
                enrolment=once,
                domain="safe",
                service="CP81SA",
                provider="CHV",
                date=date(current.year, 8, 1),
            )
    drain_organisation(world.beta)
    report = ovc_serv(scope, previous, apr_end_month)
    assert _total(report, "active") - _total(before_previous, "active") == 3
    assert _total(report, "graduated") == _total(before_previous, "graduated")

    # this fiscal year: one graduates, one relocates (exits dated today)
    with workspace_context(world.beta):
        services.cpara_record(
            actor=as_member(world.beta_worker, world.beta),
            household=household,
            assessed_on=today,
            answers=ALL_MET,
        )
        services.enrolment_exit(
            actor=as_member(world.beta_worker, world.beta),
            enrolment=served[0],
            exit_reason="ERCP",
            exit_date=today,
        )
        services.enrolment_exit(
            actor=as_member(world.beta_worker, world.beta),
            enrolment=served[1],
            exit_reason="ERRL",
            exit_date=today,
        )
    drain_organisation(world.beta)
    drain_organisation(world.beta)  # idempotent
    report = ovc_serv(scope, current, end_month)
    assert _total(report, "graduated") - _total(before_current, "graduated") == 1
    assert _total(report, "exited") - _total(before_current, "exited") == 1
