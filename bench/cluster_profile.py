"""Where a cluster load run's time goes (``bench/cluster.py``): CPU seconds of each part of the
cluster (app processes, PostgreSQL, PgBouncer, HAProxy, Celery) and of the rest of the
machine, PgBouncer's pools and HAProxy's queue, sampled while the load runs."""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
from pathlib import Path

STATE = Path(__file__).resolve().parent.parent / ".local" / "cluster" / "state.json"


def cpu_seconds(pid: int, children: dict[int, list[int]]) -> float:
    """CPU seconds of a process and everything under it (live and finished children)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += sum(int(value) for value in fields[11:15]) / ticks  # utime stime cutime cstime
        todo.extend(children.get(current, []))
    return total


def process_children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return children


def machine_cpu() -> tuple[float, float]:
    """(busy, all) CPU seconds of the machine since boot, every core."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    ticks = os.sysconf("SC_CLK_TCK")
    return (sum(values) - values[3] - values[4]) / ticks, sum(values) / ticks


PARTS = {  # a part of the cluster: its processes' names in state.json
    "app processes": ("app",),
    "PostgreSQL primary": ("primary",),
    "replica": ("replica",),
    "PgBouncer": ("pgbouncer",),
    "HAProxy": ("haproxy",),
    "Celery, Redis": ("worker", "beat", "redis"),
}


def pgbouncer_rows(state: dict, command: str) -> list[dict]:
    """PgBouncer's admin console (simple query protocol: a client-side binding cursor)."""
    import psycopg

    url = state["urls"]["pgbouncer"].rsplit("/", 1)[0] + "/pgbouncer"
    with psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor) as conn:
        cursor = conn.execute(command)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def haproxy_backend(state: dict) -> dict[str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", state["ports"]["stats"], timeout=5)
    conn.request("GET", "/;csv")
    lines = conn.getresponse().read().decode().splitlines()
    conn.close()
    names = lines[0].lstrip("# ").split(",")
    for line in lines[1:]:
        if line.startswith("app,BACKEND,"):
            return dict(zip(names, line.split(","), strict=False))
    return {}


class Profile(threading.Thread):
    """Where the time goes while the load runs: the load average, HAProxy's queue and
    PgBouncer's waiting clients every 2 s; the CPU each part of the cluster used, PgBouncer's
    transaction and wait times, and HAProxy's queue, connect and response times."""

    def __init__(self, state: dict, state_file: Path = STATE) -> None:
        super().__init__(daemon=True)
        self.state, self.state_file = state, state_file
        self.loads: list[float] = []
        self.queued: list[int] = []
        self.waiting: list[int] = []
        self.max_wait = 0.0
        self.stopped = threading.Event()
        self.last_seen: dict[tuple[str, int], float] = {}
        self.first = self.snapshot()

    def processes_cpu(self) -> dict[tuple[str, int], float]:
        """CPU seconds of each process of the cluster, by (name, pid): a killed process keeps
        its last figure, the one started again in its place counts from zero."""
        children = process_children()
        pids = json.loads(self.state_file.read_text())["pids"]  # an app may have restarted
        seen = {(name, pid): cpu_seconds(pid, children) for name, pid in pids.items()}
        self.last_seen.update({key: value for key, value in seen.items() if value})
        return dict(self.last_seen)

    def snapshot(self) -> dict:
        processes = self.processes_cpu()
        cpu = {
            part: sum(seconds for (name, _), seconds in processes.items() if name.startswith(names))
            for part, names in PARTS.items()
        }
        cpu["the load (this program)"] = cpu_seconds(os.getpid(), {})
        stats = next(
            (r for r in pgbouncer_rows(self.state, "SHOW STATS") if r["database"] == "cpims"), {}
        )
        busy, every = machine_cpu()
        return {"at": time.monotonic(), "cpu": cpu, "busy": busy, "all": every, "pool": stats}

    def run(self) -> None:
        while not self.stopped.wait(2):
            self.loads.append(os.getloadavg()[0])
            self.processes_cpu()
            try:
                self.queued.append(int(haproxy_backend(self.state).get("qcur") or 0))
                for row in pgbouncer_rows(self.state, "SHOW POOLS"):
                    if row["database"] == "cpims":
                        self.waiting.append(row["cl_waiting"])
                        wait = row["maxwait"] + row["maxwait_us"] / 1e6
                        self.max_wait = max(self.max_wait, wait)
            except (OSError, http.client.HTTPException):
                pass

    def report(self, requests: int) -> str:
        self.stopped.set()
        last = self.snapshot()
        seconds = last["at"] - self.first["at"]
        lines = []
        if self.loads:
            mean = sum(self.loads) / len(self.loads)
            lines.append(
                f"load average (1 min, every 2 s, {os.cpu_count()} cores): "
                f"min {min(self.loads):.2f}  mean {mean:.2f}  max {max(self.loads):.2f}"
            )
        busy = last["busy"] - self.first["busy"]
        every = max(last["all"] - self.first["all"], 1e-9)
        lines.append(
            f"CPU: the machine {busy / seconds:.2f} of {every / seconds:.2f} cores busy "
            f"({busy / every:.0%}); by part, cores and ms of CPU a request:"
        )
        ours = 0.0
        for part in last["cpu"]:
            used = last["cpu"][part] - self.first["cpu"][part]
            ours += used
            a_request = used * 1000 / max(requests, 1)
            lines.append(f"  {part:24} {used / seconds:5.2f} cores  {a_request:6.1f} ms")
        lines.append(f"  {'everything else':24} {(busy - ours) / seconds:5.2f} cores")
        pool_before, pool = self.first["pool"], last["pool"]
        if pool:
            transactions = max(pool["total_xact_count"] - pool_before["total_xact_count"], 1)
            queries = pool["total_query_count"] - pool_before["total_query_count"]
            xact = (pool["total_xact_time"] - pool_before["total_xact_time"]) / transactions
            wait = (pool["total_wait_time"] - pool_before["total_wait_time"]) / transactions
            lines.append(
                f"PgBouncer: {transactions} transactions ({transactions / max(requests, 1):.1f} "
                f"a request), {queries} queries; a transaction {xact / 1000:.1f} ms on its "
                f"server session, waited {wait / 1000:.2f} ms for one; clients waiting "
                f"(every 2 s) max {max(self.waiting, default=0)}, longest wait "
                f"{self.max_wait * 1000:.0f} ms"
            )
        backend = haproxy_backend(self.state)
        if backend:
            mean_queue = sum(self.queued) / max(len(self.queued), 1)
            lines.append(
                f"HAProxy (last 1024 requests): queue {backend.get('qtime')} ms, connect "
                f"{backend.get('ctime')} ms, response {backend.get('rtime')} ms, total "
                f"{backend.get('ttime')} ms; queued (every 2 s) mean {mean_queue:.1f} max "
                f"{max(self.queued, default=0)}"
            )
        return "\n".join(lines)
