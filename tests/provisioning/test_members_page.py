"""The members page: invitations start at the least privileged role, destructive actions are
styled as such and ask first, and each confirmation says what happened."""

import pytest

from tenants.models import Membership, Role
from tenants.services import membership_grant
from tests.conftest import client_on
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_invitation_defaults_to_the_least_privileged_role(world):
    html = client_on(world.acme, world.acme_admin).get("/members/").content.decode()
    assert '<option value="viewer" selected>Viewer</option>' in html
    roles = html.index('name="role"', html.index('data-testid="invite-form"'))
    assert html.index("Viewer", roles) < html.index("Organisation administrator", roles)


def test_destructive_actions_ask_first_and_look_destructive(world):
    html = client_on(world.acme, world.acme_admin).get("/members/").content.decode()
    assert 'class="button danger" type="submit" data-testid="revoke-member"' in html
    assert "data-confirm=\"Revoke Wafula Worker's membership?" in html
    assert "tenants/confirm." in html  # under its hashed name (manifest storage)


def test_confirmations_say_what_happened(world):
    colleague = UserFactory(email="colleague@acme.test", full_name="Kamau Colleague")
    membership = membership_grant(user=colleague, organisation=world.acme, roles=[Role.VIEWER])
    client = client_on(world.acme, world.acme_admin)
    page = client.post(
        f"/members/{membership.pk}/roles/", {"roles": ["case_worker", "viewer"]}, follow=True
    )
    assert "Kamau Colleague now holds: Case worker, Viewer." in page.content.decode()
    page = client.post(f"/members/{membership.pk}/revoke/", follow=True)
    assert (
        "Kamau Colleague&#x27;s membership revoked: they can no longer open this workspace."
        in page.content.decode()
    )
    assert not Membership.objects.get(pk=membership.pk).is_active


def test_another_organisation_cannot_open_the_members_page(world):
    response = client_on(world.acme, world.beta_worker).get("/members/")
    assert response.status_code in (302, 403, 404)
    assert b"Wafula Worker" not in response.content
