"""Audit of reads: access_record writes in the schema read; admins browse their own logs."""

from __future__ import annotations

import pytest

from audit.models import PlatformAccessEntry
from audit.services import RecordKind, access_record
from audit.workspace.models import AccessEntry
from tenants.models import Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.conftest import client_on
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_access_record_writes_the_workspace_log_inside_a_workspace(world, rf):
    request = rf.get("/cases/7/", REMOTE_ADDR="10.0.0.9")
    request.organisation = world.acme
    request.membership = None
    with workspace_context(world.acme):
        entry = access_record(
            actor=world.acme_worker,
            record_kind=RecordKind.CASE,
            record_id=7,
            purpose="follow-up",
            membership=41,
            request=request,
        )
        assert isinstance(entry, AccessEntry)
        assert AccessEntry.objects.filter(pk=entry.pk, record_id="7", membership_id=41).exists()
    assert entry.remote_addr == "10.0.0.9" and entry.path == "/cases/7/"
    assert entry.organisation_slug == "acme" and entry.actor_email == world.acme_worker.email
    with workspace_context(world.beta):
        assert not AccessEntry.objects.filter(record_id="7", purpose="follow-up").exists()
    assert not PlatformAccessEntry.objects.filter(purpose="follow-up").exists()


def test_access_record_on_the_platform_writes_the_platform_log(world):
    entry = access_record(
        actor=world.hq_admin,
        record_kind=RecordKind.SHARED_SUMMARY,
        record_id="P-1",
        agreement=12,
        purpose="inspection",
    )
    assert isinstance(entry, PlatformAccessEntry) and entry.agreement_id == 12


def test_organisation_admin_browses_and_filters_their_own_access_log(world):
    with workspace_context(world.acme):
        access_record(actor=world.acme_worker, record_kind="case", record_id="CASE-ACME-1")
        access_record(actor=world.acme_worker, record_kind="person", record_id="PERSON-9")
    with workspace_context(world.beta):
        access_record(actor=world.beta_worker, record_kind="case", record_id="CASE-BETA-1")
    client = client_on(world.acme, world.acme_admin)
    page = client.get("/audit/access/").content.decode()
    assert "CASE-ACME-1" in page and "PERSON-9" in page and "CASE-BETA-1" not in page
    filtered = client.get("/audit/access/", {"kind": "person"}).content.decode()
    assert "PERSON-9" in filtered and "CASE-ACME-1" not in filtered
    searched = client.get("/audit/access/", {"q": "CASE-ACME-1"}).content.decode()
    assert "CASE-ACME-1" in searched and "PERSON-9" not in searched
    htmx = client.get("/audit/access/", {"q": "x"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and b"<html" not in htmx.content


def test_the_change_log_shows_this_organisations_writes(world):
    beta_admin = UserFactory(email="admin@beta.test")
    membership_grant(user=beta_admin, organisation=world.beta, roles=[Role.ORGANISATION_ADMIN])
    client = client_on(world.acme, world.acme_admin)
    response = client.get("/audit/", {"q": "", "action": "1", "since": "2000-01-01"})
    assert response.status_code == 200
    assert client.get("/audit/", {"since": "not-a-date", "action": "9"}).status_code == 200
    # beta's admin sees beta's log on beta's host, never acme's
    assert client_on(world.beta, beta_admin).get("/audit/").status_code == 200


@pytest.mark.parametrize("path", ["/audit/", "/audit/access/"])
def test_workspace_logs_are_for_organisation_admins_of_that_organisation(world, path):
    assert client_on(world.acme, world.acme_admin).get(path).status_code == 200
    assert client_on(world.acme, world.acme_worker).get(path).status_code == 403
    assert client_on(world.acme, world.beta_worker).get(path).status_code == 403
    assert client_on(world.acme, world.outsider).get(path).status_code == 403
    assert client_on(world.acme, world.hq_admin).get(path).status_code == 403
    assert client_on(world.acme).get(path).status_code == 302


@pytest.mark.parametrize("path", ["/console/audit/", "/console/audit/access/"])
def test_platform_logs_are_for_dcs_headquarters(world, path):
    access_record(actor=world.hq_admin, record_kind="export", record_id="EXPORT-77")
    hq = client_on(None, world.hq_admin)
    response = hq.get(path)
    assert response.status_code == 200
    if "access" in path:
        assert b"EXPORT-77" in response.content
        assert b"EXPORT-77" not in hq.get(path, {"q": "nothing-like-it"}).content
    if "access" in path:  # the sharing access log: reads under an agreement
        access_record(
            actor=world.hq_admin, record_kind="shared_summary", record_id="SH-5", agreement=5
        )
        shared = hq.get(path, {"under": "agreement"}).content
        assert b"SH-5" in shared and b"EXPORT-77" not in shared
    for user in (world.acme_admin, world.acme_worker, world.beta_worker, world.outsider):
        assert client_on(None, user).get(path).status_code == 403
    assert client_on(None).get(path).status_code == 302


def test_the_logs_and_tokens_are_linked_from_the_navigation(world):
    admin_home = client_on(world.acme, world.acme_admin).get("/").content.decode()
    assert 'href="/audit/"' in admin_home and 'href="/account/tokens/"' in admin_home
    worker_home = client_on(world.acme, world.acme_worker).get("/").content.decode()
    assert 'href="/audit/"' not in worker_home and 'href="/account/tokens/"' in worker_home
    hq_home = client_on(None, world.hq_admin).get("/").content.decode()
    assert 'href="/console/audit/"' in hq_home
    assert 'href="/console/audit/"' not in client_on(None, world.outsider).get("/").content.decode()
