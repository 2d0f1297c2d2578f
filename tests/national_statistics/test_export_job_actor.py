"""The export service decides who may export and for which audience itself (issue 16): the
screen only passes what was asked."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from audit.models import PlatformAccessEntry
from national_statistics.audience import Audience
from national_statistics.models import ExportJob
from national_statistics.services import export_job_create
from tenants.actor import Actor, Forbidden, member_actor
from tenants.models import PlatformRole
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PERIOD = {"month_from": date(2026, 1, 1), "month_to": date(2026, 3, 1)}


def test_a_user_without_statistics_rights_is_refused_and_nothing_is_queued(world):
    with pytest.raises(Forbidden):
        export_job_create(actor=Actor(user=world.outsider), export_format="csv", **PERIOD)
    assert not ExportJob.objects.exists()


def test_an_analyst_gets_unsuppressed_figures_only_with_a_logged_reason(world):
    analyst = Actor(user=UserFactory(platform_roles=[PlatformRole.ANALYST]))
    with pytest.raises(ValidationError) as refused:
        export_job_create(actor=analyst, export_format="csv", internal=True, reason="", **PERIOD)
    assert "reason" in refused.value.message_dict
    job = export_job_create(
        actor=analyst, export_format="csv", internal=True, reason="county review", **PERIOD
    )
    assert job.audience == Audience.INTERNAL and job.requested_by == analyst.user
    assert PlatformAccessEntry.objects.filter(
        record_kind="statistics_export", record_id=str(job.pk)
    ).exists()


def test_an_administrator_cannot_take_unsuppressed_national_figures(world):
    administrator = Actor(user=UserFactory(platform_roles=[PlatformRole.NATIONAL_ADMINISTRATOR]))
    with pytest.raises(ValidationError) as refused:
        export_job_create(
            actor=administrator, export_format="csv", internal=True, reason="because", **PERIOD
        )
    assert "purpose" in refused.value.message_dict
    published = export_job_create(actor=administrator, export_format="csv", **PERIOD)
    assert published.audience == Audience.PUBLISHED


def test_a_member_exports_their_own_organisation_whatever_area_is_asked(world):
    job = export_job_create(
        actor=member_actor(world.acme_worker, world.acme),
        export_format="csv",
        county="047",
        internal=True,
        **PERIOD,
    )
    assert job.organisation == world.acme and job.county == ""
    assert job.audience == Audience.OWN
