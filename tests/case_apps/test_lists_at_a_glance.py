"""The workspace's administrative lists searchable and filterable (issue 17, point 10):
sharing agreements by the period they are in force, members by role, API tokens by state;
each filter narrows in its selector and on its page, and stays inside the organisation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit import selectors as audit_selectors
from audit.models import PersonalAccessToken
from audit.services import token_create, token_revoke
from provisioning.invitations import membership_list
from sharing import selectors as sharing_selectors
from tenants.actor import member_actor
from tenants.models import Role
from tenants.services import membership_grant
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.sharing.conftest import request_agreement, scene  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def table(response, testid: str) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</table>", start)]


# --- sharing agreements ---------------------------------------------------------------------
def test_agreements_narrow_by_the_period_they_cover(world, scene):  # noqa: F811
    today = timezone.localdate()
    soon = request_agreement(
        world, scene, purpose="Soon", start_date=today, end_date=today + timedelta(days=30)
    )
    later = request_agreement(
        world,
        scene,
        purpose="Later",
        start_date=today + timedelta(days=60),
        end_date=today + timedelta(days=120),
    )

    def ids(**period) -> set[int]:
        rows = sharing_selectors.agreements_of_organisation(organisation=world.acme, **period)
        return set(rows.values_list("pk", flat=True))

    assert ids() == {soon.pk, later.pk}
    assert ids(period_from=today + timedelta(days=40)) == {later.pk}
    assert ids(period_to=today + timedelta(days=10)) == {soon.pk}
    assert (
        ids(period_from=today + timedelta(days=31), period_to=today + timedelta(days=59)) == set()
    )
    beta_outgoing = sharing_selectors.agreements_of_organisation(
        organisation=world.beta, direction="outgoing", period_from=today
    )
    assert beta_outgoing.count() == 0  # asked of beta, not by it

    client = client_on(world.acme, world.acme_admin)
    page = client.get("/sharing/", {"period_from": (today + timedelta(days=40)).isoformat()})
    rows = table(page, "agreements")
    assert "Later" in rows and "Soon" not in rows
    assert 'name="period_from"' in page.content.decode()
    assert client.get("/sharing/", {"period_from": "soon"}).status_code == 200  # ignored


# --- members -----------------------------------------------------------------------------------
def test_members_narrow_by_role_and_stay_in_the_organisation(world):
    viewer = UserFactory(email="viewer@acme.test", full_name="Vera Viewer")
    membership_grant(user=viewer, organisation=world.acme, roles=[Role.VIEWER])

    def emails(organisation, **filters) -> set[str]:
        return {m.user.email for m in membership_list(organisation=organisation, **filters)}

    assert emails(world.acme) == {"admin@acme.test", "worker@acme.test", "viewer@acme.test"}
    assert emails(world.acme, role=Role.VIEWER) == {"viewer@acme.test"}
    assert emails(world.acme, role=Role.CASE_WORKER, search="wafula") == {"worker@acme.test"}
    assert emails(world.acme, role="no-such-role") == emails(world.acme)
    assert emails(world.beta, role=Role.CASE_WORKER) == {"worker@beta.test"}

    client = client_on(world.acme, world.acme_admin)
    html = client.get("/members/", {"role": Role.VIEWER}).content.decode()
    assert 'data-email="viewer@acme.test"' in html
    assert 'data-email="worker@acme.test"' not in html
    assert 'name="role"' in html and 'hx-get=""' in html


# --- API tokens ----------------------------------------------------------------------------
def test_tokens_narrow_by_state(world):
    actor = member_actor(world.acme_worker, world.acme)
    usable, _raw = token_create(actor=actor, name="Usable sync")
    expired, _raw = token_create(actor=actor, name="Old sync")
    PersonalAccessToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    revoked, _raw = token_create(actor=actor, name="Revoked sync")
    token_revoke(actor=actor, token_id=revoked.pk)

    def names(**filters) -> set[str]:
        rows = audit_selectors.tokens_of(user=world.acme_worker, organisation=world.acme, **filters)
        return set(rows.values_list("name", flat=True))

    assert names() == {"Usable sync", "Old sync", "Revoked sync"}
    assert names(state="usable") == {"Usable sync"}
    assert names(state="expired") == {"Old sync"}
    assert names(state="revoked") == {"Revoked sync"}
    assert names(search="old") == {"Old sync"}
    assert audit_selectors.tokens_of(user=world.acme_worker, organisation=world.beta).count() == 0

    page = client_on(world.acme, world.acme_worker).get("/account/tokens/", {"state": "revoked"})
    rows = table(page, "tokens")
    assert "Revoked sync" in rows and "Usable sync" not in rows
