#!/usr/bin/env python3
"""Fault 2 (docs/cluster.md): kill the Celery process running a task, mid-task (SIGKILL).

With acks_late and reject-on-worker-lost (CPIMS_CELERY_ACKS_LATE=1 in the cluster) the task
is put back and run again; being idempotent, its effect happens exactly once. Prints the
attempts and effects, then PASS or FAIL.

    .venv/bin/python deploy/faults/kill_worker.py [--seconds 6]
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
from _drill import cluster_state, records, send_probe, wait_for  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="how long the task works")
    args = parser.parse_args()
    state = cluster_state()
    key = f"kill-worker-{uuid.uuid4().hex[:8]}"
    send_probe(state, key, args.seconds)
    if not wait_for(lambda: records(state, key)[0], 30):
        print("FAIL: no worker started the task within 30 s")
        return 1
    victim = records(state, key)[0][0]
    command = Path(f"/proc/{victim}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    if "celery" not in command:
        print(f"FAIL: pid {victim} is not a Celery process ({command!r})")
        return 1
    time.sleep(args.seconds / 2)
    os.kill(victim, signal.SIGKILL)
    print(f"task {key}: killed the Celery process running it (pid {victim}) mid-task")
    began = time.monotonic()
    wait_for(lambda: records(state, key)[1] >= 1, 120)
    time.sleep(args.seconds + 2)  # any further (wrong) run would show by now
    attempts, effects = records(state, key)
    print(f"attempts: {len(attempts)} (pids {attempts}); effects: {effects}")
    if effects == 1 and len(attempts) >= 2:
        took = time.monotonic() - began
        print(f"PASS: run again after the kill, done exactly once ({took:.1f} s)")
        return 0
    print("FAIL: the task was lost" if effects == 0 else "FAIL: done more than once")
    return 1


if __name__ == "__main__":
    sys.exit(main())
