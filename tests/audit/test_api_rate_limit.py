"""The API rate limit is one limit for every process (issue 16): two web processes serving
the same token count against the same minute, in the database."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from constance import config
from constance.test import override_config
from django.db import connection

from audit.api import over_rate_limit
from audit.models import ApiRequestCount, PersonalAccessToken
from audit.services import token_create
from tenants.actor import member_actor

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]
LIMIT = 4


class WebProcess:
    """Another web process (tests/tenants/second_process.py) on the test database."""

    def __init__(self) -> None:
        db = connection.settings_dict
        where = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or "5432"}
        if db["PASSWORD"]:
            where["password"] = db["PASSWORD"]
        env = {
            **os.environ,
            "PYTHONPATH": f"{REPO / 'platform'}:{REPO}",
            "DATABASE_URL": f"postgresql://{quote(db['USER'])}@/{db['NAME']}?{urlencode(where)}",
            "DJANGO_SETTINGS_MODULE": "cpims.settings_test",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.tenants.second_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=env,
        )

    def get(self, path: str, *, host: str, token: str) -> int:
        self.process.stdin.write(json.dumps({"get": path, "host": host, "token": token}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the web process ended"
        return json.loads(line)["status"]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(30)


@pytest.fixture(scope="module")
def limited_token(world, django_db_blocker):
    """A committed token of acme's case worker, and a committed limit of LIMIT a minute."""
    with django_db_blocker.unblock():
        token, raw = token_create(actor=member_actor(world.acme_worker, world.acme), name="two")
        before = config.API_REQUESTS_PER_MINUTE
        config.API_REQUESTS_PER_MINUTE = LIMIT
    yield token, raw
    with django_db_blocker.unblock():
        config.API_REQUESTS_PER_MINUTE = before
        ApiRequestCount.objects.filter(key=f"token:{token.pk}").delete()
        PersonalAccessToken.objects.filter(pk=token.pk).delete()


def test_two_processes_share_one_limit(limited_token):
    _token, raw = limited_token
    first, second = WebProcess(), WebProcess()
    try:
        path, host = "/api/v1/audit/tokens", "acme.localhost"
        assert first.get(path, host=host, token=raw) == 200  # both started, warm
        if datetime.datetime.now(datetime.UTC).second > 45:  # all calls in one minute
            time.sleep(61 - datetime.datetime.now(datetime.UTC).second)
            assert first.get(path, host=host, token=raw) == 200
        codes = [second.get(path, host=host, token=raw)]
        codes += [p.get(path, host=host, token=raw) for p in (first, second)]
        # LIMIT calls made, split over two processes: the next is refused in either one
        assert codes == [200, 200, 200]
        assert second.get(path, host=host, token=raw) == 429
        assert first.get(path, host=host, token=raw) == 429
    finally:
        first.close()
        second.close()


@override_config(API_REQUESTS_PER_MINUTE=2)
def test_the_count_is_per_caller_and_per_minute(world):
    now = datetime.datetime(2026, 12, 2, 9, 30, 10, tzinfo=datetime.UTC)
    assert [over_rate_limit("user:1", now=now) for _ in range(3)] == [False, False, True]
    assert over_rate_limit("user:2", now=now) is False  # another caller
    later = now + datetime.timedelta(minutes=1)
    assert over_rate_limit("user:1", now=later) is False  # a new minute
    # the first call of a minute dropped the caller's older minutes
    assert list(
        ApiRequestCount.objects.filter(key="user:1").values_list("window_start", flat=True)
    ) == [later.replace(second=0)]
