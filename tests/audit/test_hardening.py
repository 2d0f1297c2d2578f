"""Hardening: content security policy, secure transport settings, rate limits on sign-in and
sign-up in production, error pages that leak nothing, no secret in the repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from audit import selectors
from tests.conftest import client_on

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


def test_pages_carry_a_content_security_policy_and_safe_headers(world):
    response = client_on(world.acme, world.acme_worker).get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def _settings_under(env: dict) -> dict:
    code = (
        "import json, cpims.settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
        "['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', "
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'ACCOUNT_RATE_LIMITS', "
        "'DEBUG']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": f"{REPO / 'platform'}:{REPO}", **env},
    )
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_switches_on_secure_cookies_and_hsts():
    secure = _settings_under({"CPIMS_SECURE": "1"})
    assert secure["SESSION_COOKIE_SECURE"] and secure["CSRF_COOKIE_SECURE"]
    assert secure["SECURE_HSTS_SECONDS"] >= 31536000 and secure["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert secure["SECURE_SSL_REDIRECT"]
    plain = _settings_under({"CPIMS_SECURE": "0"})
    assert not plain["DEBUG"]
    # allauth's sign-in and sign-up rate limits are on (only the test settings relax them)
    assert plain["ACCOUNT_RATE_LIMITS"] is None


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "2/m/ip"})
def test_sign_in_is_rate_limited(world):
    cache.clear()
    client = Client(HTTP_HOST="localhost")
    responses = [
        client.post("/accounts/login/", {"login": world.outsider.email, "password": "nope"})
        for _ in range(3)
    ]
    assert b"Too many failed login attempts" in responses[-1].content
    assert b"Too many failed login attempts" not in responses[0].content
    cache.clear()


@override_settings(ACCOUNT_RATE_LIMITS={"signup": "1/m/ip"})
def test_sign_up_is_rate_limited(world):
    cache.clear()
    client = Client(HTTP_HOST="localhost")
    form = {"email": "x@example.test", "password1": "p", "password2": "p"}
    codes = [client.post("/accounts/signup/", form).status_code for _ in range(2)]
    assert codes[-1] == 429
    cache.clear()


def test_a_server_error_shows_the_generic_page_only(world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("SECRET-INTERNALS select * from children")

    monkeypatch.setattr(selectors, "access_entries", broken)
    client = client_on(world.acme, world.acme_admin)
    client.raise_request_exception = False
    response = client.get("/audit/access/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "SECRET-INTERNALS" not in body and "Traceback" not in body
    assert "RuntimeError" not in body and "select *" not in body


def test_no_secret_key_is_kept_in_the_repository():
    tracked = subprocess.run(
        ["git", "ls-files"], capture_output=True, text=True, cwd=REPO, check=True
    ).stdout.split()
    assert not any(name.startswith(".local/") or name.endswith("secret_key") for name in tracked)
    settings_text = (REPO / "platform" / "cpims" / "settings.py").read_text()
    assert 'SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _local_secret_key()' in (
        settings_text
    )
