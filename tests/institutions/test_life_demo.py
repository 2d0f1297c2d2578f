"""The demo of life in the institution (issue 19): records on each running admission, once;
nothing without admissions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from case_apps.institutions.demo_life import life_load_demo
from case_apps.institutions.models_life import CarePlanReview, LeaveOfAbsence
from tenants.schema import workspace_context
from tests.institutions.conftest import make_admission

pytestmark = pytest.mark.django_db


def test_the_demo_gives_running_admissions_a_life_once(world, institutions_world):
    rescue, worker = institutions_world.rescue, institutions_world.rescue_worker
    with workspace_context(rescue):
        assert life_load_demo(organisation=rescue, worker=worker) == 0  # no admission yet
    admission = make_admission(
        rescue, worker, admitted_on=timezone.localdate() - timedelta(days=20)
    )
    with workspace_context(rescue):
        assert life_load_demo(organisation=rescue, worker=worker) == 1
        assert life_load_demo(organisation=rescue, worker=worker) == 0  # idempotent
        leave = LeaveOfAbsence.objects.get(admission=admission)
        assert leave.returned_on is not None
        assert admission.education_records.count() == admission.conferences.count() == 1
        assert CarePlanReview.objects.filter(plan__admission=admission).count() == 1
