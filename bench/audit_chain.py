"""Audit chain under concurrent writers: every append serialized per schema, chain intact.

Prints how many log rows 8 concurrent writers appended per second (each in its own
transaction and connection) and whether `chain_verify` finds the public chain intact, and how
long verification takes per 1,000 links.

    python bench/audit_chain.py
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._setup import setup_django  # noqa: E402

WRITERS = 8
ROWS_EACH = 150


def main() -> None:
    setup_django("cpims_bench_audit")
    from auditlog.models import LogEntry
    from django.db import connection, transaction

    from audit.chain import chain_verify
    from tenants.models import User

    user, _ = User.objects.get_or_create(email="bench-audit@example.test")
    latencies: list[float] = []
    lock = threading.Lock()

    def writer() -> None:
        try:
            for i in range(ROWS_EACH):
                started = time.perf_counter()
                with transaction.atomic():
                    LogEntry.objects.log_create(
                        user, action=LogEntry.Action.UPDATE, changes={"n": [i, i + 1]}
                    )
                with lock:
                    latencies.append(time.perf_counter() - started)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    rows = WRITERS * ROWS_EACH
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM public.audit_chain")
        links = cursor.fetchone()[0]
    verify_started = time.perf_counter()
    broken = chain_verify("public")
    verify_elapsed = time.perf_counter() - verify_started
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p95 = latencies[int(len(latencies) * 0.95)] * 1000
    print(
        f"{WRITERS} concurrent writers, {rows} log rows in {elapsed:.2f} s: "
        f"{rows / elapsed:.0f} rows/s; append p50 {p50:.1f} ms, p95 {p95:.1f} ms"
    )
    print(
        f"chain: {links} links, verified in {verify_elapsed:.2f} s "
        f"({verify_elapsed / links * 1000 * 1000:.1f} ms per 1,000 links): "
        f"{'intact' if broken is None else broken}"
    )
    if broken is not None:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
