"""Audit chain under concurrent writers: appends are plain inserts, the sealer links them.

8 writers (processes, as web workers are, each with its own connection) append log rows,
each row in its own transaction, while the sealer runs beside them on its beat interval (as
``audit.seal_chains`` does). Prints the appends per second, the append's own latency (the
insert, where the old design waited for the chain lock) and the whole transaction's
(append and commit), the sealing lag (a row's time to its link: p50, p95, max), whether
`chain_verify` finds the public chain intact, and how long verification takes per 1,000
links. Targets (issue 14): >= 5,000 appends/s, append p50 < 1 ms, sealing lag p95 < 5 s.

    python bench/audit_chain.py [--writers 8] [--rows 1000] [--seal-every 2]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._setup import setup_django  # noqa: E402


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def _writer(user_id: int, rows: int, results) -> None:
    """One writer process: ``rows`` log rows, each in its own transaction; sends back the
    append and the whole-transaction latencies."""
    from auditlog.models import LogEntry
    from django.db import connection, transaction

    from tenants.models import User

    user = User.objects.get(pk=user_id)
    mine, whole = [], []
    for i in range(rows):
        started = time.perf_counter()
        with transaction.atomic():
            LogEntry.objects.log_create(
                user, action=LogEntry.Action.UPDATE, changes={"n": [i, i + 1]}
            )
            appended = time.perf_counter()
        mine.append(appended - started)
        whole.append(time.perf_counter() - started)
    connection.close()
    results.put((mine, whole))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--rows", type=int, default=1000, help="rows per writer")
    parser.add_argument("--seal-every", type=float, default=2.0, help="seconds (beat default)")
    args = parser.parse_args()
    setup_django("cpims_bench_audit")
    from django.db import connection

    from audit.chain import chain_verify
    from audit.sealer import chain_seal
    from tenants.models import User

    user, _ = User.objects.get_or_create(email="bench-audit@example.test")
    chain_seal("public")  # whatever earlier runs left
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM public.auditlog_logentry")
        first_id = cursor.fetchone()[0]
    stop = threading.Event()

    def sealer() -> None:
        try:
            while not stop.wait(args.seal_every):
                chain_seal("public")
        finally:
            connection.close()

    connection.close()  # the writers are forked: none inherits this connection
    results: multiprocessing.Queue = multiprocessing.get_context("fork").Queue()
    writers = [
        multiprocessing.get_context("fork").Process(
            target=_writer, args=(user.pk, args.rows, results)
        )
        for _ in range(args.writers)
    ]
    sealing = threading.Thread(target=sealer)
    sealing.start()
    started = time.perf_counter()
    for process in writers:
        process.start()
    appends: list[float] = []
    transactions: list[float] = []
    for _ in writers:
        mine, whole = results.get()
        appends += mine
        transactions += whole
    for process in writers:
        process.join()
    elapsed = time.perf_counter() - started
    stop.set()
    sealing.join()
    chain_seal("public")  # the rows the last turn had not reached yet
    rows = args.writers * args.rows
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT extract(epoch FROM c.linked_at - e.timestamp) FROM public.audit_chain c "
            "JOIN public.auditlog_logentry e ON c.table_name = 'auditlog_logentry' "
            "AND e.id = c.row_id WHERE e.id > %s",
            [first_id],
        )
        lags = [float(row[0]) for row in cursor.fetchall()]
        cursor.execute("SELECT count(*) FROM public.audit_chain")
        links = cursor.fetchone()[0]
    verify_started = time.perf_counter()
    broken = chain_verify("public")
    verify_elapsed = time.perf_counter() - verify_started
    print(
        f"{args.writers} concurrent writers, {rows} log rows (one per transaction) in "
        f"{elapsed:.2f} s: {rows / elapsed:.0f} appends/s (target >= 5,000)"
    )
    print(
        f"append (the insert) p50 {_percentile(appends, 0.5) * 1000:.2f} ms, "
        f"p95 {_percentile(appends, 0.95) * 1000:.2f} ms (target p50 < 1 ms); whole "
        f"transaction with its commit p50 {_percentile(transactions, 0.5) * 1000:.2f} ms, "
        f"p95 {_percentile(transactions, 0.95) * 1000:.2f} ms"
    )
    print(
        f"sealing lag ({len(lags)} rows, sealer every {args.seal_every:g} s): "
        f"p50 {_percentile(lags, 0.5):.2f} s, p95 {_percentile(lags, 0.95):.2f} s, "
        f"max {max(lags):.2f} s (target p95 < 5 s)"
    )
    print(
        f"chain: {links} links, verified in {verify_elapsed:.2f} s "
        f"({verify_elapsed / links * 1000 * 1000:.1f} ms per 1,000 links): "
        f"{'intact' if broken is None else broken}"
    )
    if broken is not None or len(lags) != rows:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
