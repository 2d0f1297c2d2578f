#!/usr/bin/env python3
"""Fault 3 (docs/cluster.md): restart Redis (the broker) with tasks queued and running.

Redis keeps its data in an append-only file (deploy/redis/redis.conf); the cluster starts it
again after 5 s and the workers reconnect. Every queued task must then be done exactly once.
Prints how many were queued, done, run more than once (each done once all the same), lost.

    .venv/bin/python deploy/faults/restart_redis.py [--tasks 20]
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _drill import STATE, cluster_state, records, send_probe, wait_for  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=1.0, help="how long each task works")
    parser.add_argument("--wait", type=float, default=180, help="seconds to wait for them")
    args = parser.parse_args()
    state = cluster_state()
    batch = uuid.uuid4().hex[:8]
    keys = [f"redis-restart-{batch}-{n}" for n in range(args.tasks)]
    for key in keys:
        send_probe(state, key, args.seconds)
    time.sleep(args.seconds)  # some running, the rest queued
    pid = state["pids"]["redis"]
    os.kill(pid, signal.SIGTERM)
    print(f"{len(keys)} tasks queued; stopped Redis (pid {pid}) with them queued and running")
    began = time.monotonic()
    wait_for(lambda: cluster_state()["pids"]["redis"] != pid, 60)
    print(f"Redis started again after {time.monotonic() - began:.1f} s (state: {STATE})")
    wait_for(lambda: all(records(state, key)[1] for key in keys), args.wait)
    done = [key for key in keys if records(state, key)[1] == 1]
    again = [key for key in keys if len(records(state, key)[0]) > 1]
    lost = len(keys) - len(done)
    print(
        f"queued {len(keys)}: done {len(done)} (each exactly once), run more than once "
        f"{len(again)}, lost {lost}, all done {time.monotonic() - began:.1f} s after the stop"
    )
    print("PASS" if lost == 0 else "FAIL: queued work was lost")
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
