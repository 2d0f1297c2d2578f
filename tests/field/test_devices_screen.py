"""The administrator's devices screen (issue 21): the organisation's field devices with
their members and the forms waiting from each, searched and paged; revoking one makes its
next sync answer "revoked"; case workers and other organisations get nothing."""

from __future__ import annotations

from uuid import uuid4

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from case_apps.field import selectors
from case_apps.field.models import Device, FieldForm, FormStatus
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.field.conftest import days_ago

pytestmark = pytest.mark.django_db
API = "/api/v1/field/"
SCREEN = "/field/devices/"


def synced_device(world, user, organisation=None) -> Device:
    """A device registered the way the app does it: its first bundle read."""
    organisation = organisation or world.acme
    uuid = str(uuid4())
    assert client_on(organisation, user).get(f"{API}bundle?device={uuid}").status_code == 200
    with workspace_context(organisation):
        return Device.objects.get(uuid=uuid)


def forms_from(device: Device, *statuses: str) -> None:
    FieldForm.objects.bulk_create(
        FieldForm(
            uuid=uuid4(),
            kind="follow_up",
            author=device.user,
            device=device,
            visit_date=days_ago(1),
            status=status,
        )
        for status in statuses
    )


def test_the_admin_sees_the_organisations_devices_with_the_forms_waiting(world):
    phone = synced_device(world, world.acme_worker)
    tablet = synced_device(world, world.acme_admin)
    with workspace_context(world.acme):
        forms_from(phone, FormStatus.PENDING, FormStatus.CONFLICT, FormStatus.APPROVED)
        Device.objects.filter(pk=tablet.pk).update(label="Office tablet")
    response = client_on(world.acme, world.acme_admin).get(SCREEN)
    assert response.status_code == 200
    page = response.context["page"]
    by_id = {row.id: row for row in page.rows}
    assert set(by_id) == {phone.pk, tablet.pk}
    assert (by_id[phone.pk].waiting, by_id[tablet.pk].waiting) == (2, 0)  # decided: not
    assert (by_id[phone.pk].member, by_id[phone.pk].email) == ("Wafula Worker", "worker@acme.test")
    html = response.content.decode()
    assert "Office tablet" in html and "worker@acme.test" in html and "Active" in html


def test_the_page_costs_the_same_queries_for_two_devices_or_many(world):
    actor = actor_of(world.acme, world.acme_admin)
    with workspace_context(world.acme):
        for _ in range(2):
            forms_from(Device.objects.create(uuid=uuid4(), user=world.acme_worker), "pending")
        with CaptureQueriesContext(connection) as few:
            selectors.device_page(actor=actor)
        for _ in range(6):
            forms_from(Device.objects.create(uuid=uuid4(), user=world.acme_admin), "pending")
        with CaptureQueriesContext(connection) as many:
            page = selectors.device_page(actor=actor)
    assert len(page.rows) == 8 and {row.waiting for row in page.rows} == {1}
    assert len(many) == len(few) <= 3  # count, page (members joined), waiting forms


def test_the_search_narrows_by_member_or_label_and_pages(world):
    with workspace_context(world.acme):
        Device.objects.create(uuid=uuid4(), user=world.acme_worker, label="Tecno Spark")
        Device.objects.create(uuid=uuid4(), user=world.acme_admin, label="Office tablet")
        for n in range(selectors.DEVICE_PAGE):
            Device.objects.create(uuid=uuid4(), user=world.acme_admin, label=f"Spare {n}")
    admin = client_on(world.acme, world.acme_admin)
    by_label = admin.get(SCREEN, {"q": "tecno"}).context["page"]
    assert [row.label for row in by_label.rows] == ["Tecno Spark"]
    by_member = admin.get(SCREEN, {"q": "WAFULA"}).context["page"]
    assert [row.label for row in by_member.rows] == ["Tecno Spark"]
    by_email = admin.get(SCREEN, {"q": "worker@acme"}).context["page"]
    assert [row.label for row in by_email.rows] == ["Tecno Spark"]
    assert "No device matches." in admin.get(SCREEN, {"q": "nothing-like-it"}).content.decode()
    first = admin.get(SCREEN).context["page"]
    second = admin.get(SCREEN, {"page": "2"}).context["page"]
    assert (first.count, first.next, len(first.rows), len(second.rows)) == (52, 2, 50, 2)
    assert not {r.id for r in first.rows} & {r.id for r in second.rows}
    assert admin.get(SCREEN, {"page": "zz"}).status_code == 200  # a bad page: the first


def test_revoking_on_the_screen_makes_the_next_sync_answer_revoked(world):
    device = synced_device(world, world.acme_worker)
    admin = client_on(world.acme, world.acme_admin)
    response = admin.post(f"{SCREEN}{device.pk}/revoke/", follow=True)
    assert response.redirect_chain[-1][0] == SCREEN
    html = response.content.decode()
    assert "revoked: the app wipes its store at its next sync" in html
    assert "Revoked on" in html and "Amina Admin" in html
    worker = client_on(world.acme, world.acme_worker)
    assert worker.get(f"{API}bundle?device={device.uuid}").status_code == 410
    with workspace_context(world.acme):
        first = Device.objects.get(pk=device.pk)
    assert (first.revoked_by_id, first.revoked_at is not None) == (world.acme_admin.pk, True)
    again = admin.post(f"{SCREEN}{device.pk}/revoke/")  # twice: harmless
    assert again.status_code == 302
    with workspace_context(world.acme):
        assert Device.objects.get(pk=device.pk).revoked_at == first.revoked_at
    assert admin.post(f"{SCREEN}987654321/revoke/").status_code == 404
    assert admin.get(f"{SCREEN}{device.pk}/revoke/").status_code == 405


def test_a_case_worker_gets_403_and_revokes_nothing(world):
    device = synced_device(world, world.acme_worker)
    worker = client_on(world.acme, world.acme_worker)
    assert worker.get(SCREEN).status_code == 403
    assert worker.post(f"{SCREEN}{device.pk}/revoke/").status_code == 403
    with workspace_context(world.acme):
        assert Device.objects.get(pk=device.pk).revoked_at is None


def test_another_organisations_device_is_neither_listed_nor_revoked(world):
    beta_admin = UserFactory(email=f"admin-{uuid4().hex[:6]}@beta.test")
    with workspace_context(world.beta):  # an id acme has no device under
        beta_device = Device.objects.create(
            pk=10**9 + 7, uuid=uuid4(), user=world.beta_worker, label="Beta phone"
        )
    synced_device(world, world.acme_worker)
    admin = client_on(world.acme, world.acme_admin)
    listed = admin.get(SCREEN)
    assert beta_device.pk not in {row.id for row in listed.context["page"].rows}
    assert "Beta phone" not in listed.content.decode()
    assert "Beta phone" not in admin.get(SCREEN, {"q": "Betty"}).content.decode()
    assert admin.post(f"{SCREEN}{beta_device.pk}/revoke/").status_code == 404
    elsewhere = client_on(world.beta, world.acme_admin)  # acme's admin on beta's host
    assert elsewhere.get(SCREEN).status_code in (302, 403, 404)
    assert elsewhere.post(f"{SCREEN}{beta_device.pk}/revoke/").status_code in (302, 403, 404)
    assert client_on(world.beta, beta_admin).get(SCREEN).status_code in (302, 403, 404)
    with workspace_context(world.beta):
        assert Device.objects.get(pk=beta_device.pk).revoked_at is None


def test_the_members_page_and_the_navigation_lead_to_the_screen(world):
    admin = client_on(world.acme, world.acme_admin)
    assert f'href="{SCREEN}"' in admin.get("/members/").content.decode()
    assert f'href="{SCREEN}"' in admin.get("/").content.decode()
    assert (
        f'href="{SCREEN}"' not in client_on(world.acme, world.acme_worker).get("/").content.decode()
    )
