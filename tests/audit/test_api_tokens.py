"""Personal access tokens: one organisation, expiring, stored hashed, revocable; the session
path keeps CSRF; API rate limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from constance.test import override_config
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from audit.models import PersonalAccessToken
from audit.services import token_create, token_digest, token_revoke
from tenants.actor import Forbidden, NotFound, member_actor
from tests.conftest import client_on

pytestmark = pytest.mark.django_db


def _api(host: str, raw: str | None, path: str = "/api/v1/me", method: str = "get"):
    client = Client(HTTP_HOST=host)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if raw else {}
    return client, getattr(client, method)(path, **headers)


def test_a_member_creates_a_token_on_their_page_and_sees_it_once(world):
    client = client_on(world.acme, world.acme_worker)
    response = client.post("/account/tokens/", {"name": "Reporting script", "days": "30"})
    assert response.status_code == 200
    raw = response.context["created"]
    token = PersonalAccessToken.objects.get(user=world.acme_worker, name="Reporting script")
    assert raw not in str(token.__dict__) and token.digest == token_digest(raw)  # hashed
    assert raw not in client.get("/account/tokens/").content.decode()  # shown once
    bad = client.post("/account/tokens/", {"name": "", "days": "9999"})
    assert bad.status_code == 400 and set(bad.context["errors"]) == {"name", "days"}
    assert client.get("/account/tokens/", {"q": "Reporting"}).status_code == 200


def test_a_token_works_on_its_own_organisation_only(world):
    _token, raw = token_create(actor=member_actor(world.acme_worker, world.acme), name="t")
    client, response = _api("acme.localhost", raw)
    assert response.status_code == 200 and response.json()["email"] == world.acme_worker.email
    assert "sessionid" not in client.cookies  # no session made for a token call
    assert _api("beta.localhost", raw)[1].status_code == 401
    assert _api("localhost", raw, "/api/v1/health")[1].status_code == 401
    assert _api("acme.localhost", raw + "x")[1].status_code == 401
    assert _api("acme.localhost", raw, "/")[1].status_code == 302  # pages need a session


def test_expired_and_revoked_tokens_are_refused(world):
    token, raw = token_create(actor=member_actor(world.acme_worker, world.acme), name="t")
    assert _api("acme.localhost", raw)[1].status_code == 200
    PersonalAccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert _api("acme.localhost", raw)[1].status_code == 401
    PersonalAccessToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() + timedelta(days=1)
    )
    assert _api("acme.localhost", raw)[1].status_code == 200
    token_revoke(actor=member_actor(world.acme_worker, world.acme), token_id=token.pk)
    assert _api("acme.localhost", raw)[1].status_code == 401


def test_a_token_of_a_former_member_opens_nothing(world):
    _token, raw = token_create(actor=member_actor(world.acme_worker, world.acme), name="t")
    world.acme_worker.memberships.filter(organisation=world.acme).update(is_active=False)
    assert _api("acme.localhost", raw)[1].status_code == 403


def test_revoking_through_the_page_and_the_api(world):
    token, raw = token_create(actor=member_actor(world.acme_worker, world.acme), name="t")
    other, other_raw = token_create(actor=member_actor(world.acme_worker, world.acme), name="u")
    client = client_on(world.acme, world.acme_worker)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    assert _api("acme.localhost", raw)[1].status_code == 401
    # another member cannot revoke it
    theirs, _ = token_create(actor=member_actor(world.acme_admin, world.acme), name="v")
    assert client.post(f"/account/tokens/{theirs.pk}/revoke/").status_code == 404
    # the API: a bearer call revokes without CSRF (no cookie involved)
    _c, response = _api("acme.localhost", other_raw, f"/api/v1/audit/tokens/{other.pk}", "delete")
    assert response.status_code == 204
    assert _api("acme.localhost", other_raw)[1].status_code == 401


def test_the_token_services_refuse_a_non_member_and_another_members_token(world):
    outsider = member_actor(world.outsider, world.acme)
    with pytest.raises(Forbidden):
        token_create(actor=outsider, name="sneaky")
    assert not PersonalAccessToken.objects.filter(name="sneaky").exists()
    token, raw = token_create(actor=member_actor(world.acme_worker, world.acme), name="mine")
    for stranger in (
        member_actor(world.acme_admin, world.acme),
        member_actor(world.beta_worker, world.beta),
    ):
        with pytest.raises(NotFound):
            token_revoke(actor=stranger, token_id=token.pk)
    with pytest.raises(Forbidden):
        token_revoke(actor=outsider, token_id=token.pk)
    world.acme_worker.memberships.filter(organisation=world.acme).update(is_active=False)
    with pytest.raises(Forbidden):
        token_revoke(actor=member_actor(world.acme_worker, world.acme), token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_session_path_of_the_api_checks_csrf(world):
    token, _raw = token_create(actor=member_actor(world.acme_worker, world.acme), name="t")
    client = Client(HTTP_HOST="acme.localhost", enforce_csrf_checks=True)
    signed_in = client_on(world.acme, world.acme_worker)
    client.cookies = signed_in.cookies
    assert client.get("/api/v1/audit/tokens").status_code == 200
    assert client.delete(f"/api/v1/audit/tokens/{token.pk}").status_code in {401, 403}
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_access_log_api_is_for_admins_of_this_organisation(world):
    admin_token, admin_raw = token_create(
        actor=member_actor(world.acme_admin, world.acme), name="a"
    )
    _t, worker_raw = token_create(actor=member_actor(world.acme_worker, world.acme), name="w")
    _t, beta_raw = token_create(actor=member_actor(world.beta_worker, world.beta), name="b")
    assert _api("acme.localhost", admin_raw, "/api/v1/audit/access-log")[1].status_code == 200
    assert _api("acme.localhost", worker_raw, "/api/v1/audit/access-log")[1].status_code == 403
    assert _api("acme.localhost", beta_raw, "/api/v1/audit/access-log")[1].status_code == 401
    assert client_on(world.acme, world.outsider).get("/api/v1/audit/tokens").status_code == 403
    assert Client(HTTP_HOST="acme.localhost").get("/api/v1/audit/tokens").status_code == 401


@override_config(API_REQUESTS_PER_MINUTE=3)
def test_api_calls_are_rate_limited(world):
    cache.clear()
    _token, raw = token_create(actor=member_actor(world.acme_worker, world.acme), name="t")
    codes = [_api("acme.localhost", raw)[1].status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    cache.clear()
