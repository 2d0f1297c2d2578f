"""Account protections: lockout, required MFA, session time-outs, password rules. Each test
fails if its protection is removed."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from constance.test import override_config
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from audit.models import SignInThrottle
from audit.security import SESSION_SEEN_KEY, SESSION_STARTED_KEY
from tests.conftest import client_on

pytestmark = pytest.mark.django_db


def _sign_in(email: str, password: str, host: str = "acme.localhost"):
    client = Client(HTTP_HOST=host)
    return client, client.post("/accounts/login/", {"login": email, "password": password})


# --- lockout ---------------------------------------------------------------------------------
@override_config(LOCKOUT_FAILURES=3, LOCKOUT_MINUTES=15)
def test_repeated_failed_sign_ins_lock_the_account(world):
    email = world.acme_worker.email
    for _attempt in range(3):
        assert _sign_in(email, "wrong password")[1].status_code == 200
    client, response = _sign_in(email, world.password)
    assert response.status_code == 200  # the right password is refused while locked
    assert "_auth_user_id" not in client.session
    # the lock ends after its time
    SignInThrottle.objects.filter(email=email).update(locked_until=timezone.now())
    client, response = _sign_in(email, world.password)
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert not SignInThrottle.objects.filter(email=email).exists()  # success resets


@override_config(LOCKOUT_FAILURES=3)
def test_fewer_failures_than_the_threshold_do_not_lock(world):
    email = world.acme_worker.email
    for _attempt in range(2):
        _sign_in(email, "wrong password")
    assert _sign_in(email, world.password)[1].status_code == 302


# --- required multi-factor authentication ------------------------------------------------------
@override_config(MFA_REQUIRED_FOR_ADMINS=True)
def test_organisation_admin_without_mfa_can_only_set_it_up(world):
    client = client_on(world.acme, world.acme_admin)
    for path in ("/", "/audit/", "/account/tokens/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/api/v1/me").status_code == 403
    setup = client.get("/accounts/2fa/totp/activate/")  # allauth asks for the password first
    assert setup.status_code == 200 or "/accounts/reauthenticate/" in setup["Location"]
    TOTP.activate(world.acme_admin, generate_totp_secret())
    assert client.get("/audit/").status_code == 200


@override_config(MFA_REQUIRED_FOR_ADMINS=True)
def test_dcs_headquarters_without_mfa_can_only_set_it_up(world):
    client = client_on(None, world.hq_admin)
    response = client.get("/console/audit/")
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]
    TOTP.activate(world.hq_admin, generate_totp_secret())
    assert client.get("/console/audit/").status_code == 200


@override_config(MFA_REQUIRED_FOR_ADMINS=True)
def test_mfa_is_optional_for_other_members(world):
    assert client_on(world.acme, world.acme_worker).get("/").status_code == 200


# --- session time-outs ---------------------------------------------------------------------------
def _aged_client(world, *, seen_ago: int, started_ago: int) -> Client:
    client = client_on(world.acme, world.acme_worker)
    session = client.session
    now = int(time.time())
    session[SESSION_SEEN_KEY] = now - seen_ago
    session[SESSION_STARTED_KEY] = now - started_ago
    session.save()
    return client


@override_config(SESSION_IDLE_MINUTES=30)
def test_an_idle_session_is_signed_out(world):
    assert _aged_client(world, seen_ago=60, started_ago=60).get("/").status_code == 200
    client = _aged_client(world, seen_ago=31 * 60, started_ago=31 * 60)
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session
    assert client.get("/api/v1/me").status_code == 401


@override_config(SESSION_IDLE_MINUTES=30, SESSION_ABSOLUTE_HOURS=12)
def test_a_session_older_than_the_absolute_limit_is_signed_out_even_when_busy(world):
    client = _aged_client(world, seen_ago=5, started_ago=12 * 3600 + 60)
    assert client.get("/").status_code == 302
    assert "_auth_user_id" not in client.session


@override_config(SESSION_IDLE_MINUTES=120)
def test_the_idle_limit_is_a_live_setting(world):
    assert _aged_client(world, seen_ago=31 * 60, started_ago=31 * 60).get("/").status_code == 200


# --- password rules -------------------------------------------------------------------------------
def test_passwords_follow_the_live_minimum_length():
    validate_password("a-long-safe-pass")
    with pytest.raises(ValidationError):
        validate_password("short-pass1")  # 11 characters, under the default of 12
    with override_config(PASSWORD_MIN_LENGTH=20), pytest.raises(ValidationError):
        validate_password("a-long-safe-pass")


def test_the_per_request_checks_read_no_live_setting_from_the_database(world):
    """Live settings are kept for a few seconds per process: the time-out and MFA checks add
    no query to a page (constance stores a missing default on first read: that must not
    evict the other settings)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from audit.security import _live_cache

    _live_cache.clear()
    client = client_on(world.acme, world.acme_worker)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not [q["sql"] for q in queries if "constance" in q["sql"]]
