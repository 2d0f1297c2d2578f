"""Invitations by an organisation admin; role changes; revocation effective next request."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from provisioning.invitations import (
    invitation_create,
    invitation_revoke,
    membership_change_roles,
    membership_revoke,
)
from tenants.actor import Forbidden, NotFound, member_actor
from tenants.models import Invitation, Membership, Role, User
from tenants.services import membership_grant
from tests.conftest import client_on
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def invite(world, email="new@acme.test", role=Role.CASE_WORKER):
    client = client_on(world.acme, world.acme_admin)
    response = client.post("/members/", {"email": email, "role": role})
    assert response.status_code == 302, response.content[:500]
    return Invitation.objects.get(email=email, organisation=world.acme, revoked_at=None)


def accept_link(world) -> str:
    body = mail.outbox[-1].body
    return next(w for w in body.split() if "/invitations/" in w).split("localhost", 1)[1]


def test_admin_invites_and_a_new_person_accepts(world):
    invitation = invite(world)
    assert mail.outbox[-1].to == ["new@acme.test"]
    path = accept_link(world)
    assert path == f"/invitations/{invitation.token}/"
    client = client_on(world.acme)
    assert client.get(path).status_code == 200
    bad = client.post(path, {"full_name": "New", "password1": "short", "password2": "short"})
    assert bad.status_code == 200 and not User.objects.filter(email="new@acme.test").exists()
    response = client.post(
        path,
        {
            "full_name": "Neema New",
            "password1": "a-long-safe-pass",
            "password2": "a-long-safe-pass",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@acme.test")
    assert Membership.objects.get(user=user, organisation=world.acme).roles == [Role.CASE_WORKER]
    assert client.get("/").status_code == 200  # signed in on acme's host
    assert client.get(path).status_code == 404  # used


def test_an_existing_account_proves_itself_with_its_password(world):
    invite(world, email=world.beta_worker.email, role=Role.VIEWER)
    path = accept_link(world)
    client = client_on(world.acme)
    assert client.post(path, {"password1": "wrong-password"}).status_code == 200
    assert not Membership.objects.filter(user=world.beta_worker, organisation=world.acme).exists()
    response = client.post(path, {"password1": world.password})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")  # signs in via allauth (MFA)
    assert Membership.objects.get(user=world.beta_worker, organisation=world.acme).roles == [
        Role.VIEWER
    ]
    assert User.objects.filter(email=world.beta_worker.email).count() == 1


def test_expired_or_withdrawn_invitations_do_not_work(world):
    invitation = invite(world)
    path = accept_link(world)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    assert client_on(world.acme).get(path).status_code == 404
    invitation = invite(world, email="other@acme.test")
    client_on(world.acme, world.acme_admin).post(f"/members/invitations/{invitation.pk}/withdraw/")
    assert client_on(world.acme).get(f"/invitations/{invitation.token}/").status_code == 404
    # a token from acme means nothing on beta's host
    fresh = invite(world, email="third@acme.test")
    assert client_on(world.beta).get(f"/invitations/{fresh.token}/").status_code == 404


def test_inviting_a_member_again_is_an_error(world):
    client = client_on(world.acme, world.acme_admin)
    response = client.post("/members/", {"email": world.acme_worker.email, "role": "viewer"})
    assert response.status_code == 200 and b"already a member" in response.content
    response = client.post("/members/", {"email": "not-an-email", "role": "viewer"})
    assert response.status_code == 200 and b"not-an-email" in response.content


def test_roles_change_and_revocation_takes_effect_on_the_next_request(world):
    admin = client_on(world.acme, world.acme_admin)
    worker = client_on(world.acme, world.acme_worker)
    assert worker.get("/").status_code == 200
    membership = Membership.objects.get(user=world.acme_worker, organisation=world.acme)
    admin.post(f"/members/{membership.pk}/roles/", {"roles": ["supervisor", "viewer"]})
    membership.refresh_from_db()
    assert membership.roles == ["supervisor", "viewer"]
    admin.post(f"/members/{membership.pk}/revoke/")
    assert worker.get("/").status_code == 403


def test_the_last_administrator_stays(world):
    admin = client_on(world.acme, world.acme_admin)
    membership = Membership.objects.get(user=world.acme_admin, organisation=world.acme)
    admin.post(f"/members/{membership.pk}/roles/", {"roles": ["viewer"]})
    admin.post(f"/members/{membership.pk}/revoke/")
    membership.refresh_from_db()
    assert membership.is_active and membership.roles == [Role.ORGANISATION_ADMIN]


def test_members_pages_are_for_organisation_admins_of_that_organisation(world):
    acme_worker_membership = Membership.objects.get(user=world.acme_worker)
    posts = [
        "/members/",
        f"/members/{acme_worker_membership.pk}/roles/",
        f"/members/{acme_worker_membership.pk}/revoke/",
    ]
    assert client_on(world.acme, world.acme_worker).get("/members/").status_code == 403
    for url in posts:
        assert (
            client_on(world.acme, world.acme_worker).post(url, {"roles": ["viewer"]}).status_code
            == 403
        )
        # beta's member on acme's host: refused at the door
        assert client_on(world.acme, world.beta_worker).post(url).status_code in {302, 403}
        assert client_on(world.acme, world.outsider).get(url).status_code in {302, 403}
        assert client_on(world.acme).get(url).status_code == 302
    # a member id of acme is not found through beta's host, even by beta's admin role holder
    beta_admin = client_on(world.beta, world.beta_worker)
    assert beta_admin.post(posts[2]).status_code == 403
    assert client_on(None, world.hq_admin).get("/members/").status_code == 404
    acme_worker_membership.refresh_from_db()
    assert acme_worker_membership.is_active and acme_worker_membership.roles == [Role.CASE_WORKER]
    assert (
        b"worker@acme.test"
        in client_on(world.acme, world.acme_admin).get("/members/", {"q": "wafula"}).content
    )


def test_the_members_services_refuse_a_member_without_the_right_and_change_nothing(world):
    """Called directly, each service asks the policy itself: a case worker is refused, and a
    member or invitation of another organisation is not found for an administrator."""
    invitation = invite(world, email="pending@acme.test")
    worker_membership = Membership.objects.get(user=world.acme_worker, organisation=world.acme)
    admin_membership = Membership.objects.get(user=world.acme_admin, organisation=world.acme)
    worker = member_actor(world.acme_worker, world.acme)
    with pytest.raises(Forbidden):
        invitation_create(actor=worker, email="sneaky@acme.test", role=Role.CASE_WORKER)
    with pytest.raises(Forbidden):
        invitation_revoke(actor=worker, invitation_id=invitation.pk)
    with pytest.raises(Forbidden):
        membership_change_roles(
            actor=worker, membership_id=worker_membership.pk, roles=[Role.ORGANISATION_ADMIN]
        )
    with pytest.raises(Forbidden):
        membership_revoke(actor=worker, membership_id=admin_membership.pk)
    beta_admin = UserFactory(email="admin@beta.test")
    membership_grant(user=beta_admin, organisation=world.beta, roles=[Role.ORGANISATION_ADMIN])
    stranger = member_actor(beta_admin, world.beta)
    with pytest.raises(NotFound):
        invitation_revoke(actor=stranger, invitation_id=invitation.pk)
    with pytest.raises(NotFound):
        membership_revoke(actor=stranger, membership_id=worker_membership.pk)
    with pytest.raises(NotFound):
        membership_change_roles(
            actor=stranger, membership_id=worker_membership.pk, roles=[Role.VIEWER]
        )
    assert not Invitation.objects.filter(email="sneaky@acme.test").exists()
    invitation.refresh_from_db()
    worker_membership.refresh_from_db()
    admin_membership.refresh_from_db()
    assert invitation.revoked_at is None and worker_membership.roles == [Role.CASE_WORKER]
    assert worker_membership.is_active and admin_membership.is_active
