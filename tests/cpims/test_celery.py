"""Celery tasks run in the schema of the organisation that sent them.

With REDIS_URL (CI) the tasks go through a real Redis broker to a real worker;
without it they run in-process, as in the embedded mode.
"""

import os

import pytest

from cpims.celery import app
from cpims.tasks import ping
from tenants.schema import workspace_context

pytestmark = pytest.mark.django_db


def send_from_each_schema(world) -> list:
    sent = []
    for organisation in (world.acme, world.beta, world.acme):
        with workspace_context(organisation):
            sent.append((organisation.schema_name, ping.delay()))
    sent.append(("public", ping.delay()))
    return sent


@pytest.mark.real_broker
def test_each_task_runs_in_its_senders_schema(world):
    if not os.environ.get("REDIS_URL"):
        assert app.conf.task_always_eager
        for expected, result in send_from_each_schema(world):
            assert result.get() == expected
        return
    from celery.contrib.testing.worker import start_worker

    assert app.conf.broker_url.startswith("redis://") and not app.conf.task_always_eager
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        for expected, result in send_from_each_schema(world):
            assert result.get(timeout=30) == expected
