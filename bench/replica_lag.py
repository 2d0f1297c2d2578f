"""The streaming replica's lag under load, for the capacity model (docs/scale-out.md).

Against the running cluster (``python3 platform/ctl.py cluster``): while a load runs, every
second it writes a heartbeat row on the primary and times how long until the replica shows
it (polled every 5 ms: the staleness a read on the replica can have), and samples the lag
PostgreSQL reports: ``now() - pg_last_xact_replay_timestamp()`` on the replica (0 when it has
replayed all it received) and ``replay_lag`` and the bytes not yet replayed from the
primary's ``pg_stat_replication``. Prints p50/p95/max of each, the load's figures, the WAL
the primary wrote per second and the machine's load average.

    .venv/bin/python bench/replica_lag.py                  # bench/cluster.py's load, 60 s
    .venv/bin/python bench/replica_lag.py --writers 4      # and 4 writers through PgBouncer

The load is ``bench/cluster.py`` (signed-in caseload reads through HAProxy and PgBouncer,
which also write sessions and access records); ``--writers N`` adds N threads committing
20-row transactions of 400-byte rows (about an audit record each) through PgBouncer as fast
as they can, into a scratch schema ``bench_lag`` dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parent.parent
STATE = REPO / ".local" / "cluster" / "state.json"
REPLICA_LAG = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END"
)
PRIMARY_LAG = (
    "SELECT extract(epoch FROM replay_lag), pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) "
    "FROM pg_stat_replication"
)


def writer(url: str, stop: threading.Event, commits: list[int]) -> None:
    """Commit 20-row transactions through the pooler until told to stop (no prepared
    statements: a transaction pooler hands each transaction to any server session)."""
    with psycopg.connect(url, autocommit=True, prepare_threshold=None) as conn:
        while not stop.is_set():
            conn.execute(
                "INSERT INTO bench_lag.writes (payload) "
                "SELECT repeat(md5(random()::text), 12) || g FROM generate_series(1, 20) g"
            )
            commits.append(1)


def visible_after(primary, replica, number: int) -> float:
    """Seconds from a heartbeat's commit on the primary until the replica shows it."""
    primary.execute("INSERT INTO bench_lag.heartbeat (id) VALUES (%s)", [number])
    began = time.monotonic()
    while time.monotonic() - began < 60:
        if replica.execute("SELECT 1 FROM bench_lag.heartbeat WHERE id = %s", [number]).fetchone():
            return time.monotonic() - began
        time.sleep(0.005)
    return float("inf")


def line(label: str, values: list[float], unit: str = "ms", scale: float = 1000) -> str:
    if not values:
        return f"  {label}: no samples"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    parts = [ordered[len(ordered) // 2], p95, ordered[-1]]
    shown = " / ".join(f"{v * scale:.1f}" for v in parts)
    return f"  {label} p50 / p95 / max: {shown} {unit} ({len(values)} samples)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--sessions", type=int, default=40, help="bench/cluster.py sessions")
    parser.add_argument("--organisations", type=int, default=20)
    parser.add_argument("--writers", type=int, default=0, help="write threads through PgBouncer")
    parser.add_argument("--no-reads", action="store_true", help="without bench/cluster.py")
    args = parser.parse_args()
    if not STATE.exists():
        print(f"no running cluster ({STATE}): start python3 platform/ctl.py cluster")
        return 2
    urls = json.loads(STATE.read_text())["urls"]
    primary = psycopg.connect(urls["primary"], autocommit=True)
    replica = psycopg.connect(urls["replica"], autocommit=True)
    primary.execute("DROP SCHEMA IF EXISTS bench_lag CASCADE; CREATE SCHEMA bench_lag")
    primary.execute("CREATE TABLE bench_lag.heartbeat (id int PRIMARY KEY)")
    primary.execute("CREATE TABLE bench_lag.writes (id bigserial PRIMARY KEY, payload text)")
    load = None
    if not args.no_reads:
        argv = [sys.executable, "-u", str(REPO / "bench" / "cluster.py")]
        argv += ["--seconds", str(args.seconds), "--sessions", str(args.sessions)]
        argv += ["--organisations", str(args.organisations)]
        load = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, cwd=REPO)
        # It makes its organisations and sessions first: sample once its sessions start.
        while (text := load.stdout.readline()) and " sessions over " not in text:
            pass
    stop, commits = threading.Event(), []
    threads = [
        threading.Thread(target=writer, args=(urls["pgbouncer"], stop, commits), daemon=True)
        for _ in range(args.writers)
    ]
    for thread in threads:
        thread.start()
    wal_start = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    began = time.monotonic()
    visible, reported, replay, behind = [], [], [], []
    number = 0
    while time.monotonic() - began < args.seconds and (load is None or load.poll() is None):
        tick = time.monotonic()
        number += 1
        reported.append(float(replica.execute(REPLICA_LAG).fetchone()[0] or 0))
        for lag, pending in primary.execute(PRIMARY_LAG).fetchall():
            replay.append(float(lag or 0))
            behind.append(float(pending or 0))
        visible.append(visible_after(primary, replica, number))  # last: it waits for replay
        time.sleep(max(0.0, 1 - (time.monotonic() - tick)))
    took = time.monotonic() - began
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    wal = primary.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)", [wal_start])
    wal_rate = float(wal.fetchone()[0]) / took
    rows = primary.execute("SELECT count(*) FROM bench_lag.writes").fetchone()[0]
    primary.execute("DROP SCHEMA bench_lag CASCADE")
    reads = ""
    if load is not None:
        reads = load.communicate(timeout=max(60, args.seconds))[0]
    print(f"replica lag over {took:.0f} s (load average {os.getloadavg()[0]:.2f} on 2 cores)")
    if reads:
        print("read load (bench/cluster.py):")
        print("\n".join(f"  {text}" for text in reads.strip().splitlines()[-4:]))
    if args.writers:
        rate = f"{len(commits) / took:.0f} commits/s, {rows / took:.0f} rows/s"
        print(f"write load: {args.writers} writers through PgBouncer, {rate}")
    print(f"WAL written by the primary: {wal_rate / 1e6:.2f} MB/s")
    print(line("heartbeat visible on the replica after", visible))
    print(line("replica's own lag (now - last replayed commit)", reported))
    print(line("primary's replay_lag", replay))
    print(line("bytes not yet replayed", behind, "kB", 1 / 1000))
    return 0


if __name__ == "__main__":
    sys.exit(main())
