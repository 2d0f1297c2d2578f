"""Verification in the DCS console, and life after onboarding (suspend, archive, delete)."""

import hashlib
import json
import zipfile

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.files.storage import default_storage

from provisioning import blueprint, lifecycle
from provisioning.services import (
    organisation_approve,
    organisation_provision,
    organisation_reject,
)
from tenants.actor import Actor, Forbidden, NotFound, member_actor
from tenants.models import Membership, Organisation, OrganisationStatus, PlatformRole, Role
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.provisioning.conftest import signup_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(world):
    client_on(None).post("/join/", signup_data())
    mail.outbox.clear()
    return Organisation.objects.get(slug="upendo")


def test_operator_sees_pending_applications_with_documents(world, application):
    client = client_on(None, world.hq_admin)
    listing = client.get("/console/applications/")
    assert listing.status_code == 200 and b"Upendo Children" in listing.content
    assert b"Upendo" in client.get("/console/applications/", {"q": "CCI/NRB"}).content
    assert b"Upendo" not in client.get("/console/applications/", {"q": "zzz"}).content
    detail = client.get(f"/console/applications/{application.pk}/")
    assert b"certificate.pdf" in detail.content and b"grace@upendo.test" in detail.content
    document = application.documents.get()
    download = client.get(f"/console/applications/{application.pk}/documents/{document.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_approval_emails_the_applicant_and_provisions(
    world, application, django_capture_on_commit_callbacks
):
    client = client_on(None, world.hq_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/console/applications/{application.pk}/approve/")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == OrganisationStatus.ACTIVE
    assert application.decided_by == world.hq_admin
    assert [m.to for m in mail.outbox] == [["grace@upendo.test"]]
    assert "approved" in mail.outbox[0].subject
    membership = Membership.objects.get(organisation=application)
    assert membership.user == application.applicant and membership.roles == [
        Role.ORGANISATION_ADMIN
    ]
    progress = client_on(None, application.applicant).get(f"/join/{application.pk}/progress/")
    assert b"Open your workspace" in progress.content and b"hx-trigger" not in progress.content


def test_the_decision_services_refuse_anyone_but_a_national_administrator(world, application):
    analyst = Actor(user=UserFactory(platform_roles=[PlatformRole.ANALYST]))
    for actor in (analyst, member_actor(world.acme_admin, world.acme), Actor(user=world.outsider)):
        with pytest.raises(Forbidden):
            organisation_approve(actor=actor, organisation_id=application.pk)
        with pytest.raises(Forbidden):
            organisation_reject(actor=actor, organisation_id=application.pk, reason="No")
    application.refresh_from_db()
    assert application.status == OrganisationStatus.PENDING and application.decided_by is None
    hq = Actor(user=world.hq_admin)
    with pytest.raises(NotFound):
        organisation_approve(actor=hq, organisation_id=application.pk + 10_000)
    assert (
        organisation_reject(
            actor=hq, organisation_id=application.pk, reason="Certificate expired"
        ).decided_by
        == world.hq_admin
    )


def test_rejection_needs_a_reason_and_emails_it(world, application):
    client = client_on(None, world.hq_admin)
    client.post(f"/console/applications/{application.pk}/reject/", {"reason": ""})
    application.refresh_from_db()
    assert application.status == OrganisationStatus.PENDING
    client.post(
        f"/console/applications/{application.pk}/reject/", {"reason": "Certificate expired"}
    )
    application.refresh_from_db()
    assert application.status == OrganisationStatus.REJECTED
    assert "Certificate expired" in mail.outbox[0].body
    page = client_on(None, application.applicant).get(f"/join/{application.pk}/")
    assert b"Certificate expired" in page.content
    assert client.post(f"/console/applications/{application.pk}/approve/").status_code == 302
    application.refresh_from_db()
    assert application.status == OrganisationStatus.REJECTED
    # its host answers with a clear page, not a 500
    assert client_on(application).get("/").status_code == 404


@pytest.mark.parametrize(
    "status", ["pending", "verified", "provisioning", "failed", "rejected", "suspended", "archived"]
)
def test_every_non_active_status_has_a_clear_page(world, status):
    org = Organisation.objects.get(slug="acme")
    org.status = status
    org.save()
    response = client_on(org, world.acme_admin).get("/")
    assert response.status_code in {403, 404, 410, 503}
    assert b"<h1" in response.content


def test_console_is_for_verifiers_only(world, application):
    urls = [
        "/console/applications/",
        f"/console/applications/{application.pk}/",
        f"/console/applications/{application.pk}/documents/{application.documents.get().pk}/",
    ]
    for user in (world.acme_admin, world.beta_worker, world.outsider):
        client = client_on(None, user)
        for url in urls:
            assert client.get(url).status_code == 403
        for action in ("approve", "reject", "retry", "suspend", "archive", "delete"):
            response = client.post(f"/console/applications/{application.pk}/{action}/")
            assert response.status_code == 403
    anonymous = client_on(None)
    assert anonymous.get(urls[0]).status_code == 302
    # and never from a workspace host
    assert client_on(world.acme, world.acme_admin).get(urls[0]).status_code == 404
    application.refresh_from_db()
    assert application.status == OrganisationStatus.PENDING


def test_failed_provisioning_can_be_retried_from_the_console(
    world, application, django_capture_on_commit_callbacks
):
    application.status = OrganisationStatus.FAILED
    application.provisioning_error = "schema: boom"
    application.save()
    client = client_on(None, world.hq_admin)
    assert b"schema: boom" in client.get(f"/console/applications/{application.pk}/").content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/console/applications/{application.pk}/retry/")
    application.refresh_from_db()
    assert application.status == OrganisationStatus.ACTIVE


def test_suspend_reactivate_archive_with_export_then_confirmed_delete(world, application):
    org = organisation_provision(organisation=application)
    client = client_on(None, world.hq_admin)
    base = f"/console/applications/{org.pk}"
    client.post(f"{base}/suspend/")
    org.refresh_from_db()
    assert org.status == OrganisationStatus.SUSPENDED
    assert client_on(org, org.applicant).get("/").status_code == 403
    client.post(f"{base}/reactivate/")
    org.refresh_from_db()
    assert org.status == OrganisationStatus.ACTIVE
    assert client.post(f"{base}/delete/", {"confirm_slug": org.slug}).status_code == 302
    assert Organisation.objects.filter(pk=org.pk).exists()  # only archived ones

    client.post(f"{base}/archive/")
    org.refresh_from_db()
    assert org.status == OrganisationStatus.ARCHIVED
    exports = lifecycle.exports_of(organisation=org)
    assert len(exports) == 1
    with default_storage.open(f"exports/{org.slug}/{exports[0]}") as fh, zipfile.ZipFile(fh) as z:
        manifest = json.loads(z.read("manifest.json"))
        assert "workspace/outbox_outboxevent.json" in manifest["files"]
        assert manifest["files"]["platform/memberships.json"]["rows"] == 1
        for name, entry in manifest["files"].items():
            assert hashlib.sha256(z.read(name)).hexdigest() == entry["sha256"]
    assert client.get(f"{base}/exports/{exports[0]}").status_code == 200
    for user in (org.applicant, world.beta_worker, world.outsider):
        assert client_on(None, user).get(f"{base}/exports/{exports[0]}").status_code == 403
    assert client.get(f"{base}/exports/..%2Fother.zip").status_code == 404

    client.post(f"{base}/delete/", {"confirm_slug": "wrong"})
    assert Organisation.objects.filter(pk=org.pk).exists()
    client.post(f"{base}/delete/", {"confirm_slug": org.slug})
    assert not Organisation.objects.filter(pk=org.pk).exists()
    assert not blueprint.schema_exists(org.schema_name)
    entry = LogEntry.objects.get(
        object_pk=str(org.pk), action=LogEntry.Action.DELETE, changes__has_key="export"
    )
    assert entry.actor == world.hq_admin and entry.changes["export"] == [None, exports[0]]


def test_no_delete_without_an_export(world, application):
    org = organisation_provision(organisation=application)
    org.status = OrganisationStatus.ARCHIVED
    org.save()
    with pytest.raises(lifecycle.LifecycleError):
        lifecycle.organisation_delete(
            organisation=org, actor=Actor(user=world.hq_admin), confirmation=org.slug
        )
    assert blueprint.schema_exists(org.schema_name)


def test_the_applicant_can_retry_a_failed_provisioning(
    world, application, django_capture_on_commit_callbacks
):
    application.status = OrganisationStatus.FAILED
    application.provisioning_error = "domain: boom"
    application.save()
    client = client_on(None, application.applicant)
    page = client.get(f"/join/{application.pk}/")
    assert b"domain: boom" in page.content and b"Try again" in page.content
    assert client_on(None, world.outsider).post(f"/join/{application.pk}/retry/").status_code == 404
    application.refresh_from_db()
    assert application.status == OrganisationStatus.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/join/{application.pk}/retry/")
    application.refresh_from_db()
    assert application.status == OrganisationStatus.ACTIVE


def test_the_progress_panel_polls_only_while_setting_up(world, application):
    client = client_on(None, application.applicant)
    for status, polls in (
        ("pending", False),
        ("verified", True),
        ("provisioning", True),
        ("active", False),
        ("failed", False),
    ):
        application.status = status
        application.provisioning_steps = ["schema"] if status == "provisioning" else []
        application.save()
        panel = client.get(f"/join/{application.pk}/progress/").content
        assert (b'hx-trigger="every 1s"' in panel) is polls, status
        if status == "provisioning":
            assert b'data-step="schema" data-done="yes"' in panel
            assert b'data-step="domain" data-done="no"' in panel


def test_the_applications_page_says_how_many_workspaces_are_ready(world, application):
    from provisioning import pool
    from tenants.models import PlatformRole
    from tests.factories import UserFactory

    verifier = UserFactory(
        email="verifier@dcs.test", platform_roles=[PlatformRole.NATIONAL_ADMINISTRATOR]
    )
    client = client_on(None, verifier)
    pool.pool_refill(size=0)  # drops what an earlier test left
    size = pool.pool_size()
    assert f"on approval: 0 of {size}." in client.get("/console/applications/").content.decode()
    pool.pool_refill(size=1)
    assert f"on approval: 1 of {size}." in client.get("/console/applications/").content.decode()


def test_the_lifecycle_services_refuse_anyone_but_a_national_administrator(world):
    analyst = Actor(user=UserFactory(platform_roles=[PlatformRole.ANALYST]))
    acme = Organisation.objects.get(pk=world.acme.pk)
    exports = lifecycle.exports_of(organisation=acme)
    for actor in (analyst, member_actor(world.acme_admin, world.acme)):
        for change in (lifecycle.organisation_suspend, lifecycle.organisation_reactivate):
            with pytest.raises(Forbidden):
                change(actor=actor, organisation=acme)
        with pytest.raises(Forbidden):
            lifecycle.organisation_archive(actor=actor, organisation=acme)
        with pytest.raises(Forbidden):
            lifecycle.organisation_delete(actor=actor, organisation=acme, confirmation=acme.slug)
    acme.refresh_from_db()
    assert acme.status == OrganisationStatus.ACTIVE
    assert lifecycle.exports_of(organisation=acme) == exports  # nothing exported either
