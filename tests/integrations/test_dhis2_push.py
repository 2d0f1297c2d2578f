"""DHIS2 push against the local DHIS2 stand-in: the request DHIS2 documents (dataValueSets,
CREATE_AND_UPDATE, all or nothing, dry run), the import summary kept, DHIS2 refusing (409
with conflicts: nothing imported), DHIS2 away (retried with back-off, then failed), a wrong
password, and who may configure and push. Nothing is half-applied silently."""

from __future__ import annotations

import json
from datetime import date, timedelta
from urllib.parse import parse_qs

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from integrations import services_dhis2
from integrations.models import Dhis2Connection, Dhis2Push, PushStatus
from national_statistics.demo import dhis2_mapping_load_demo
from national_statistics.models import MonthlyCount
from tenants.actor import Actor, Forbidden
from tests.conftest import client_on

pytestmark = pytest.mark.django_db
MONTH = date(2026, 9, 1)


def _counts(world, n: int = 12) -> None:
    for sex in ("SMAL", "SFEM"):
        MonthlyCount.objects.create(
            month=MONTH,
            organisation_id=world.acme.pk,
            event_kind="case_category_added",
            category="CDIS",
            sex=sex,
            age_band="6-10",
            county="042",
            n=n,
        )
        MonthlyCount.objects.create(
            month=MONTH,
            organisation_id=world.acme.pk,
            event_kind="case_opened",
            sex=sex,
            age_band="6-10",
            county="042",
            n=n,
        )


@pytest.fixture
def configured(world, dhis2):
    dhis2_mapping_load_demo(organisations=[])
    _counts(world)
    services_dhis2.dhis2_connection_save(
        actor=Actor(user=world.hq_admin),
        base_url=dhis2.url,
        username="cpims",
        password="district",
        enabled=True,
        timeout_seconds=1,
    )
    return dhis2


def _push(world, dry_run: bool, report: str = "case_load_summary") -> Dhis2Push:
    push = services_dhis2.dhis2_push_request(
        actor=Actor(user=world.hq_admin),
        report=report,
        month_from=MONTH,
        month_to=MONTH,
        dry_run=dry_run,
    )
    push.refresh_from_db()  # the task ran in the test's process (eager) after the commit
    return push


def test_a_dry_run_then_an_import_send_the_documented_request(
    world, configured, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        checked = _push(world, dry_run=True)
    checked.refresh_from_db()
    assert checked.status == PushStatus.CHECKED, checked.error
    assert checked.values_sent > 0 and checked.imported == checked.values_sent
    assert configured.app.imported == {}  # a dry run imports nothing
    request = configured.received[-1]
    assert (request.method, request.path) == ("POST", "/api/dataValueSets")
    query = parse_qs(request.query)
    assert query == {
        "importStrategy": ["CREATE_AND_UPDATE"],
        "atomicMode": ["ALL"],
        "dryRun": ["true"],
    }
    assert request.headers["Content-Type"] == "application/json"
    document = json.loads(request.body)
    assert document["period"] == "202609" and len(document["dataValues"]) == checked.values_sent

    with django_capture_on_commit_callbacks(execute=True):
        imported = _push(world, dry_run=False)
    imported.refresh_from_db()
    assert imported.status == PushStatus.SUCCEEDED
    assert len(configured.app.imported) == imported.imported == imported.values_sent
    with django_capture_on_commit_callbacks(execute=True):
        again = _push(world, dry_run=False)
    again.refresh_from_db()
    assert (again.imported, again.updated) == (0, imported.imported)  # the same values updated


def test_dhis2_refusing_keeps_the_conflicts_and_nothing_is_imported(
    world, configured, django_capture_on_commit_callbacks
):
    configured.app.mode = "conflict"
    with django_capture_on_commit_callbacks(execute=True):
        push = _push(world, dry_run=False)
    push.refresh_from_db()
    assert push.status == PushStatus.REFUSED and push.http_status == 409
    assert push.import_status == "ERROR" and push.conflicts[0]["value"] == "Data element not found"
    assert configured.app.imported == {}
    page = client_on(None, world.hq_admin).get(f"/console/integrations/dhis2/pushes/{push.pk}/")
    assert "Data element not found" in page.content.decode()


def test_some_values_ignored_is_shown_as_partly_imported_never_as_success(
    world, configured, django_capture_on_commit_callbacks
):
    configured.app.mode = "warning"
    with django_capture_on_commit_callbacks(execute=True):
        push = _push(world, dry_run=False)
    push.refresh_from_db()
    assert push.status == PushStatus.PARTIAL and push.ignored == 1
    assert push.conflicts


def test_dhis2_away_is_retried_with_back_off_then_succeeds(
    world, configured, django_capture_on_commit_callbacks
):
    configured.app.modes = ["error", "slow"]
    with django_capture_on_commit_callbacks(execute=True):
        push = _push(world, dry_run=False)
    push.refresh_from_db()
    assert push.status == PushStatus.RETRYING and push.http_status == 500
    first_wait = push.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < first_wait < timedelta(seconds=70)
    assert services_dhis2.dhis2_pushes_due() == 0  # not yet due
    later = push.next_attempt_at + timedelta(seconds=1)
    assert services_dhis2.dhis2_pushes_due(now=later) == 1
    push.refresh_from_db()
    assert push.status == PushStatus.RETRYING and "did not answer" in push.error  # timeout
    assert push.next_attempt_at - later > first_wait  # the wait doubles
    services_dhis2.dhis2_pushes_due(now=push.next_attempt_at + timedelta(seconds=1))
    push.refresh_from_db()
    assert (push.status, push.attempts, push.error) == (PushStatus.SUCCEEDED, 3, "")
    assert len(configured.app.imported) == push.values_sent


def test_dhis2_away_too_long_fails_and_says_so(
    world, configured, django_capture_on_commit_callbacks
):
    configured.app.mode = "error"
    with django_capture_on_commit_callbacks(execute=True):
        push = _push(world, dry_run=False)
    for _ in range(services_dhis2.MAX_ATTEMPTS):
        push.refresh_from_db()
        if push.next_attempt_at:
            services_dhis2.dhis2_pushes_due(now=push.next_attempt_at + timedelta(seconds=1))
    push.refresh_from_db()
    assert (push.status, push.attempts) == (PushStatus.FAILED, services_dhis2.MAX_ATTEMPTS)
    assert push.error == "DHIS2 answered 500" and push.next_attempt_at is None


def test_a_wrong_password_or_a_login_page_fails_at_once(
    world, configured, django_capture_on_commit_callbacks
):
    configured.app.password = "changed"
    with django_capture_on_commit_callbacks(execute=True):
        push = _push(world, dry_run=True)
    push.refresh_from_db()
    assert (push.status, push.attempts, push.http_status) == (PushStatus.FAILED, 1, 401)
    ok, words = services_dhis2.dhis2_connection_check(actor=Actor(user=world.hq_admin))
    assert not ok and "user name or password" in words
    configured.app.password = "district"
    configured.app.mode = "html"
    with django_capture_on_commit_callbacks(execute=True):
        push = _push(world, dry_run=True)
    push.refresh_from_db()
    assert push.status == PushStatus.FAILED and "without JSON" in push.error


def test_a_missing_mapping_fails_the_push_naming_it_and_sends_nothing(
    world, dhis2, django_capture_on_commit_callbacks
):
    _counts(world)
    services_dhis2.dhis2_connection_save(
        actor=Actor(user=world.hq_admin),
        base_url=dhis2.url,
        username="cpims",
        password="district",
        enabled=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        push = _push(world, dry_run=True)
    push.refresh_from_db()
    assert push.status == PushStatus.FAILED and "DHIS2 mapping missing" in push.error
    assert dhis2.received == []


def test_off_until_configured_and_only_national_administrators(world, dhis2):
    with pytest.raises(ValidationError) as off:
        _push(world, dry_run=True)
    assert "off" in str(off.value.message_dict["report"])
    with pytest.raises(Forbidden):
        services_dhis2.dhis2_connection_save(
            actor=Actor(user=world.outsider), base_url=dhis2.url, username="x", password="y"
        )
    for user in (world.outsider, world.acme_admin):
        assert client_on(None, user).get("/console/integrations/dhis2/").status_code == 403
    assert (
        client_on(world.acme, world.acme_admin).get("/console/integrations/dhis2/").status_code
        == 404
    )


def test_the_console_saves_the_connection_keeping_what_was_typed_and_hides_the_password(
    world, dhis2
):
    client = client_on(None, world.hq_admin)
    bad = client.post(
        "/console/integrations/dhis2/connection/",
        {"base_url": "ftp://dhis2", "username": "cpims", "password": "", "timeout_seconds": 30},
    )
    assert bad.status_code == 200 and 'value="ftp://dhis2"' in bad.content.decode()
    assert Dhis2Connection.objects.count() == 0
    saved = client.post(
        "/console/integrations/dhis2/connection/",
        {
            "base_url": dhis2.url,
            "username": "cpims",
            "password": "district",
            "timeout_seconds": 30,
            "enabled": "on",
        },
    )
    assert saved.status_code == 302
    connection = Dhis2Connection.objects.get()
    assert "district" not in connection.password_encrypted and connection.enabled
    page = client.get("/console/integrations/dhis2/").content.decode()
    assert "district" not in page and dhis2.url in page
    # an empty password keeps the stored one
    client.post(
        "/console/integrations/dhis2/connection/",
        {"base_url": dhis2.url, "username": "cpims2", "password": "", "timeout_seconds": 30},
    )
    connection.refresh_from_db()
    assert connection.username == "cpims2" and not connection.enabled
    assert services_dhis2._client(connection).password == "district"
    refused = client.post("/console/integrations/dhis2/check/", follow=True).content.decode()
    assert "DHIS2 refused the user name or password" in refused  # the stand-in knows "cpims"
    dhis2.app.username = "cpims2"
    checked = client.post("/console/integrations/dhis2/check/", follow=True)
    assert "DHIS2 2.40.3" in checked.content.decode()


def test_the_push_form_defaults_to_a_dry_run_and_refuses_bad_input_keeping_it(world, configured):
    client = client_on(None, world.hq_admin)
    page = client.get("/console/integrations/dhis2/").content.decode()
    assert 'name="dry_run" checked' in page or 'name="dry_run" id="id_dry_run" checked' in page
    bad = client.post(
        "/console/integrations/dhis2/push/",
        {"report": "case_load_summary", "month_from": "2026-09", "month_to": "2026-07"},
    )
    assert bad.status_code == 200 and Dhis2Push.objects.count() == 0
    assert 'value="2026-07"' in bad.content.decode()
    not_pushed = client.post(
        "/console/integrations/dhis2/push/",
        {"report": "vac", "month_from": "2026-09", "month_to": "2026-09"},
    )
    assert not_pushed.status_code == 200 and Dhis2Push.objects.count() == 0
