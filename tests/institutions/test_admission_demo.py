"""The demo admissions (issue 19): four of the demo children admitted in a CCI, one past its
expected exit, one due for discharge within 30 days, one discharged; running it again writes
nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from case_apps.institutions.demo_admissions import admissions_load_demo
from case_apps.institutions.models import Admission
from case_apps.institutions.selectors_admissions import is_overstay
from shared_registry.models_residence import Residence
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child, open_case, team  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_the_demo_admits_four_children_with_an_overstay_and_one_due(world, team):  # noqa: F811
    today = timezone.localdate()
    for first_name in ("Brian", "Wanjiru", "Hassan", "Kevin", "Zawadi"):  # as the demo cases
        open_case(
            world.acme,
            team.worker,
            make_child(first_name, "Demo"),
            date_reported=today - timedelta(days=40),
        )
    with workspace_context(world.acme):
        assert admissions_load_demo(organisation=world.acme, worker=team.worker) == 4
        assert admissions_load_demo(organisation=world.acme, worker=team.worker) == 0
        admissions = list(Admission.objects.all())
    running = [a for a in admissions if a.is_resident]
    assert len(running) == 3
    assert sum(is_overstay(a) for a in running) == 1
    assert any(
        a.expected_exit_on and today <= a.expected_exit_on <= today + timedelta(days=30)
        for a in running
    )
    assert [a.discharge_type for a in admissions if not a.is_resident] == ["DTRI"]
    assert Residence.objects.filter(organisation=world.acme, ended_on__isnull=True).count() == 3
