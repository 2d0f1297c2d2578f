"""Issue 12 end to end, with the real drain: a case typed in late counts in the month it was
reported, a corrected date moves it, an accepted transfer is a transfer out and a transfer
in (never a new case), a child counts once nationally however many organisations opened a
case, and a registry merge restates the facts; all on the national and workspace
dashboards."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from case_apps.cases import services
from case_apps.cases.models import CaseRecord
from national_statistics.models import Fact
from national_statistics.tasks import drain_all_task
from shared_registry.services import person_merge, person_unmerge
from tenants.actor import member_actor
from tenants.models import PlatformRole
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child, open_case
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.sharing.conftest import scene  # noqa: F401 (a fixture)
from tests.sharing.test_transfer import accept_data, consent, send  # noqa: F401

pytestmark = pytest.mark.django_db


def months_back(n: int, day: int = 10) -> date:
    first = timezone.localdate().replace(day=1)
    for _ in range(n):
        first = (first - timedelta(days=1)).replace(day=1)
    return first.replace(day=day)


def board(client, **period):
    response = client.get("/statistics/", period)
    assert response.status_code == 200
    return response.context["board"]


def facts_of(organisation) -> set[tuple[str, date]]:
    return set(
        Fact.objects.filter(organisation=organisation).values_list("event_kind", "occurred_on")
    )


def test_late_entry_correction_and_transfer_on_the_dashboards(
    world,
    scene,  # noqa: F811 (the fixture imported above)
    consent,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    analyst = client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))
    period = {"from": f"{months_back(5):%Y-%m}", "to": f"{timezone.localdate():%Y-%m}"}
    today = timezone.localdate()
    beta_reported = scene.case.date_reported

    # acme types in today a case reported two months ago, for the child beta also holds
    reported = months_back(2)
    late = open_case(world.acme, world.acme_worker, scene.child, date_reported=reported)
    drain_all_task.delay().get()
    assert facts_of(world.acme) == {("case_opened", reported), ("case_category_added", reported)}
    national = board(analyst, **period)
    assert national.trend[f"{reported:%Y-%m}"] == 1
    assert national.headline["case_opened"] == 3  # beta's two cases and acme's
    assert national.tiles["children"] == 2  # the shared child once

    # the date reported is corrected: the case moves to its month, nothing is doubled
    corrected = months_back(4, day=20)
    with workspace_context(world.acme):
        services.case_update(
            case=late,
            actor=member_actor(world.acme_worker, world.acme),
            expected_version=late.version,
            organisation=world.acme,
            date_reported=corrected,
        )
    drain_all_task.delay().get()
    assert facts_of(world.acme) == {
        ("case_opened", corrected),
        ("case_category_added", corrected),
    }
    national = board(analyst, **period)
    assert f"{reported:%Y-%m}" not in national.trend or not national.trend[f"{reported:%Y-%m}"]
    assert national.trend[f"{corrected:%Y-%m}"] == 1
    assert national.headline["case_opened"] == 3

    # beta transfers the child to acme, acme accepts: a transfer, not a new case
    referral = send(world, scene, consent, kind="transfer")
    acme = client_on(world.acme, world.acme_worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = acme.post(f"/cases/referrals-in/{referral.pk}/accept/", accept_data())
    assert response.status_code == 302
    drain_all_task.delay().get()
    assert ("transfer_in", today) in facts_of(world.acme)
    assert ("case_opened", today) not in facts_of(world.acme)
    assert facts_of(world.beta) >= {("case_opened", beta_reported), ("transfer_out", today)}
    assert not Fact.objects.filter(event_kind="case_closed").exists()
    national = board(analyst, **period)
    assert national.headline["case_opened"] == 3
    assert (national.headline["transfer_in"], national.headline["transfer_out"]) == (1, 1)
    assert national.tiles["children"] == 2

    # each workspace sees its own side only (and not the other organisation's figures)
    own = board(client_on(world.acme, world.acme_worker), **period)
    assert (own.headline["transfer_in"], own.headline["transfer_out"]) == (1, 0)
    assert own.headline["case_opened"] == 1 and own.tiles["children"] == 1
    theirs = board(client_on(world.beta, world.beta_worker), **period)
    assert (theirs.headline["transfer_in"], theirs.headline["transfer_out"]) == (0, 1)
    assert theirs.headline["case_opened"] == 2
    page = client_on(None, world.hq_admin).get("/statistics/", period)
    assert "Transfers in" in page.content.decode()


def test_a_registry_merge_restates_the_facts_so_the_child_counts_once(
    world, national_lists, django_capture_on_commit_callbacks
):
    analyst = client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))
    first = make_child("Imani", "Wekesa", date_of_birth=date(2015, 6, 1))
    duplicate = make_child("Imani", "Wekesa", date_of_birth=date(2015, 6, 1))
    open_case(world.acme, world.acme_worker, first)
    open_case(world.beta, world.beta_worker, duplicate)
    drain_all_task.delay().get()
    assert board(analyst).tiles["children"] == 2

    with django_capture_on_commit_callbacks(execute=True):
        merge = person_merge(survivor=first, merged=duplicate, merged_by=world.hq_admin)
    drain_all_task.delay().get()
    assert board(analyst).tiles["children"] == 1
    assert board(analyst).headline["case_opened"] == 2  # two cases, one child
    refs = set(Fact.objects.filter(event_kind="case_opened").values_list("person_ref", flat=True))
    assert len(refs) == 1 and "" not in refs

    with django_capture_on_commit_callbacks(execute=True):
        person_unmerge(merge=merge, undone_by=world.hq_admin)
    drain_all_task.delay().get()
    assert board(analyst).tiles["children"] == 2
    with workspace_context(world.beta):
        assert CaseRecord.objects.filter(child=duplicate).count() == 1
