"""What the fault drills share: the running cluster's state and the probe task's records."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import redis
from celery import Celery

REPO = Path(__file__).resolve().parents[2]
STATE = REPO / ".local" / "cluster" / "state.json"
PREFIX = "cpims:fault-probe:"  # platform/cpims/tasks.py FAULT_PROBE_PREFIX


def cluster_state() -> dict:
    if not STATE.exists():
        print(f"no running cluster ({STATE}): start python3 platform/ctl.py cluster")
        sys.exit(2)
    return json.loads(STATE.read_text())


def send_probe(state: dict, key: str, seconds: float) -> None:
    """Queue the platform's ``cpims.fault_probe`` task (by name, as beat would)."""
    app = Celery(broker=state["redis_url"], backend=None)
    app.conf.task_serializer = "json"
    app.send_task("cpims.fault_probe", args=[key, seconds])


def records(state: dict, key: str) -> tuple[list[int], int]:
    """The probe's attempts (pids of the processes that ran it) and its effects so far."""
    store = redis.Redis.from_url(state["redis_url"])
    while True:
        try:
            attempts = [int(p) for p in store.lrange(f"{PREFIX}{key}:attempts", 0, -1)]
            return attempts, int(store.get(f"{PREFIX}{key}:effects") or 0)
        except redis.ConnectionError:  # Redis restarting
            time.sleep(0.5)


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False
