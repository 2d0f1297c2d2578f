"""OVC_SERV from facts equals the hand count."""

from datetime import date, datetime, time

import pytest
from django.db import transaction
from django.utils import timezone

from case_apps.outbox.services import outbox_event_record
from national_statistics.drain import drain_organisation
from national_statistics.mer import ovc_serv
from national_statistics.selectors import StatisticsScope
from tenants.schema import workspace_context

pytestmark = pytest.mark.django_db
SAPR = (date(2025, 10, 1), date(2026, 3, 1))  # October 2025 to March 2026


def event(kind: str, ref: str, on: date, *, sex="SFEM", age="10-14", category="") -> None:
    outbox_event_record(
        kind=kind,
        occurred_at=timezone.make_aware(datetime.combine(on, time(12))),
        payload={"case_ref": ref, "sex": sex, "age_band": age, "category": category,
                 "programme": "POVC", "county": "047"},
    )  # fmt: skip


@pytest.fixture
def beneficiaries(world):
    with workspace_context(world.acme), transaction.atomic():
        # a: enrolled before, served in both quarters -> active
        event("ovc_enrolled", "a", date(2025, 3, 1))
        event("ovc_service", "a", date(2025, 11, 5), category="healthy")
        event("ovc_service", "a", date(2026, 2, 5), category="safe")
        # b: served in the last quarter only, enrolled long before -> not counted
        event("ovc_enrolled", "b", date(2025, 1, 1), sex="SMAL")
        event("ovc_service", "b", date(2026, 3, 3), sex="SMAL")
        # c: new in the last quarter and served in it -> active
        event("ovc_enrolled", "c", date(2026, 1, 10), sex="SMAL", age="5-9")
        event("ovc_service", "c", date(2026, 1, 20), sex="SMAL", age="5-9")
        # d: graduated in the period -> graduated
        event("ovc_enrolled", "d", date(2024, 6, 1), age="15-17")
        event("ovc_exited", "d", date(2026, 2, 1), age="15-17", category="ERCP")
        # e: transferred out in the period -> exited without graduation
        event("ovc_enrolled", "e", date(2024, 6, 1))
        event("ovc_exited", "e", date(2025, 12, 1), category="ERTR")
        # f: exited before the period -> nothing
        event("ovc_enrolled", "f", date(2024, 6, 1))
        event("ovc_exited", "f", date(2025, 8, 1), category="ERDO")
    drain_organisation(world.acme)


def test_ovc_serv_equals_the_hand_count(world, beneficiaries):
    report = ovc_serv(StatisticsScope(), *SAPR)
    assert report.cell("active", "__total__") == 2
    assert report.cell("active", "SFEM|10-14") == 1 and report.cell("active", "SMAL|5-9") == 1
    assert report.cell("graduated", "SFEM|15-17") == 1
    assert report.cell("exited", "__total__") == 1
    assert report.cell("__total__", "__total__") == 4


def test_ovc_serv_needs_a_pepfar_period(world):
    with pytest.raises(ValueError):
        ovc_serv(StatisticsScope(), date(2026, 1, 1), date(2026, 6, 1))


def test_ovc_serv_scoped_to_an_organisation(world, beneficiaries):
    assert (
        ovc_serv(StatisticsScope(organisation_id=world.beta.pk), *SAPR).cell(
            "__total__", "__total__"
        )
        == 0
    )


def test_ovc_serv_export_with_suppression(world, beneficiaries):
    from tenants.models import PlatformRole
    from tests.conftest import client_on
    from tests.factories import UserFactory

    analyst = client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))
    response = analyst.post(
        "/statistics/exports/",
        {"report": "ovc_serv", "export_format": "csv", "from": "2025-10", "to": "2026-03"},
    )
    assert response.status_code == 302
    from national_statistics.models import ExportJob

    job = ExportJob.objects.latest("id")
    content = b"".join(analyst.get(f"/statistics/exports/{job.pk}/download/").streaming_content)
    lines = content.decode().splitlines()
    assert lines[0].startswith("OVC_SERV") and lines[1].startswith("Active")
    assert "<5" in lines[1]  # counts of 1 and 2 never leave the platform
    bad = analyst.post(
        "/statistics/exports/",
        {"report": "ovc_serv", "export_format": "csv", "from": "2026-01", "to": "2026-06"},
    )
    assert bad.status_code == 302 and ExportJob.objects.count() == 1
