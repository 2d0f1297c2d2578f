"""A sibling of tests/national_statistics/test_end_to_end.py for a transfer between its two
partners: beta transfers a child it served in both quarters to acme (exit ``ERFO``), acme
accepts and serves the child. Drained, beta counts the child as exited (transferred to a
PEPFAR partner, ``ERFO`` in the exits by reason), acme as active; neither counts it twice."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from case_apps.ovc import date_rules, services, services_transfers
from case_apps.ovc.models import Enrolment
from national_statistics.drain import drain_organisation
from national_statistics.mer import ovc_serv
from national_statistics.models import Fact
from national_statistics.selectors import StatisticsScope
from national_statistics.suppression import TOTAL
from sharing.models_ovc_transfers import OvcTransfer
from tenants.schema import workspace_context
from tests.ovc.conftest import as_member
from tests.ovc.transfers_helpers import accept_fields, exit_to, make_acme_partner

pytestmark = pytest.mark.django_db


def _quarter(today: date) -> tuple[date, date]:
    start = date(today.year, today.month - (today.month - 1) % 3, 1)
    return start, date(start.year, start.month + 2, 1)


def _serve(organisation, user, enrolment, day: date) -> None:
    with date_rules.entered_on(day):
        services.service_record(
            actor=as_member(user, organisation),
            enrolment=enrolment,
            domain="healthy",
            service="Health education",
            provider="CHV",
            date=day,
        )


def _cells(organisation, month_from, month_to) -> dict[str, int]:
    report = ovc_serv(StatisticsScope(organisation_id=organisation.pk), month_from, month_to)
    return {row: report.values.get((row, TOTAL), 0) for row in ("active", "exited")}


def _erfo_facts(organisation) -> int:
    return Fact.objects.filter(
        organisation=organisation, event_kind="ovc_exited", category="ERFO"
    ).count()


def test_a_transfer_counts_exited_at_the_sender_and_active_at_the_receiver(world, beta_household):
    today = timezone.localdate()
    month_from, month_to = _quarter(today)
    acme = make_acme_partner(world)
    before = {o.pk: _cells(o, month_from, month_to) for o in (world.beta, acme)}
    erfo_before = _erfo_facts(world.beta)

    # beta serves its child, then transfers them to acme, which accepts and serves them
    child = beta_household.enrolment
    with workspace_context(world.beta):
        _serve(world.beta, world.beta_worker, child, today)
    exit_to(world, child, acme, days_back=0)
    transfer = OvcTransfer.objects.get(sender=world.beta, sender_enrolment_id=child.pk)
    with workspace_context(acme):
        accepted = services_transfers.transfer_accept(
            actor=as_member(world.acme_worker, acme),
            transfer=transfer,
            caregiver=transfer.proposed_caregiver,
            **accept_fields(),
        )
        ours = Enrolment.objects.get(pk=accepted.receiver_enrolment_id)
        _serve(acme, world.acme_worker, ours, today)
    for organisation in (world.beta, acme, world.beta):  # a second run counts nothing twice
        drain_organisation(organisation)

    beta_now = _cells(world.beta, month_from, month_to)
    acme_now = _cells(acme, month_from, month_to)
    assert beta_now["exited"] - before[world.beta.pk]["exited"] == 1
    assert beta_now["active"] - before[world.beta.pk]["active"] == 0
    assert _erfo_facts(world.beta) - erfo_before == 1  # "transferred to a PEPFAR partner"
    assert acme_now["active"] - before[acme.pk]["active"] == 1
    assert acme_now["exited"] - before[acme.pk]["exited"] == 0
