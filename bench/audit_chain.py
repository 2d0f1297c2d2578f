"""Audit chain under concurrent writers: appends are plain inserts, the sealer links them.

8 writers (processes, as web workers are, each with its own connection) append access-log
entries the way the application does, through ``audit.services.access_record`` (in the
platform log), each entry in its own transaction, while the sealer runs beside them on its
beat interval (as ``audit.seal_chains`` does). Prints the appends per second, the append's
own latency (the insert, where the old design waited for the chain lock) and the whole
transaction's (append and commit), the sealing lag (an entry's time to its link: p50, p95,
max), whether `chain_verify` finds the public chain intact, and how long verification takes
per 1,000 links. Targets (issue 14): >= 5,000 appends/s, append p50 < 1 ms, sealing lag p95
< 5 s.

``--alone``: each writer calls ``access_record`` outside any transaction, as a page does (the
entry is then its own transaction: the append includes its commit). ``--floor``: first run
the same number of processes doing the bare statements with psycopg and no Django (the same
INSERT into the same table, its queue trigger included, and the same commit), which is the
most this machine gives whatever the application code does, and print it beside the real
figure.

    python bench/audit_chain.py [--writers 8] [--rows 1000] [--seal-every 2] [--alone] [--floor]
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


def _writer(user_id: int, rows: int, alone: bool, ready, results) -> None:
    """One writer process: ``rows`` access entries through ``access_record``, each in its own
    transaction; sends back the append and the whole-transaction latencies."""
    from django.db import connection, transaction

    from audit.services import RecordKind, access_record
    from tenants.models import User

    user = User.objects.get(pk=user_id)  # connected: the clock starts when all are
    ready.wait()
    mine, whole = [], []
    for i in range(rows):
        started = time.perf_counter()
        if alone:  # as a page does: the entry is its own transaction
            access_record(actor=user, record_kind=RecordKind.CASE, record_id=i, purpose="bench")
            appended = time.perf_counter()
        else:
            with transaction.atomic():
                access_record(actor=user, record_kind=RecordKind.CASE, record_id=i, purpose="bench")
                appended = time.perf_counter()
        mine.append(appended - started)
        whole.append(time.perf_counter() - started)
    connection.close()
    results.put((mine, whole))


FLOOR_SQL = (
    "INSERT INTO public.audit_platformaccessentry (occurred_at, actor_id, actor_email, "
    "organisation_slug, record_kind, record_id, purpose, membership_id, agreement_id, "
    "remote_addr, path, method, cid) VALUES (%s, %s, %s, '', 'case', %s, 'bench', NULL, NULL, "
    "NULL, '', '', '') RETURNING id"
)


def _floor_writer(
    url: str, user_id: int, email: str, rows: int, alone: bool, ready, results
) -> None:
    """The floor: the same entries with bare psycopg (a prepared INSERT, then COMMIT, or the
    INSERT alone in autocommit), no Django, no application code."""
    import datetime

    import psycopg

    mine, whole = [], []
    with psycopg.connect(url, autocommit=alone, prepare_threshold=0) as conn:
        cursor = conn.cursor()
        ready.wait()
        for i in range(rows):
            started = time.perf_counter()
            now = datetime.datetime.now(datetime.UTC)
            cursor.execute(FLOOR_SQL, [now, user_id, email, str(i)], prepare=True)
            cursor.fetchone()
            appended = time.perf_counter()
            if not alone:
                conn.commit()
            mine.append(appended - started)
            whole.append(time.perf_counter() - started)
    results.put((mine, whole))


def _run_writers(target, args_of, writers: int) -> tuple[float, list[float], list[float]]:
    """Run ``writers`` processes of ``target``; elapsed seconds (from the moment every writer
    is connected and ready) and their latencies."""
    context = multiprocessing.get_context("fork")
    results: multiprocessing.Queue = context.Queue()
    ready = context.Barrier(writers + 1)
    processes = [
        context.Process(target=target, args=(*args_of, ready, results)) for _ in range(writers)
    ]
    for process in processes:
        process.start()
    ready.wait()
    started = time.perf_counter()
    appends: list[float] = []
    transactions: list[float] = []
    for _ in processes:
        mine, whole = results.get()
        appends += mine
        transactions += whole
    for process in processes:
        process.join()
    return time.perf_counter() - started, appends, transactions


def _figures(label: str, writers: int, rows: int, elapsed, appends, transactions) -> None:
    print(
        f"{label}: {writers} concurrent writers, {rows} entries (one per transaction) in "
        f"{elapsed:.2f} s: {rows / elapsed:.0f} appends/s (target >= 5,000)"
    )
    print(
        f"  append p50 {_percentile(appends, 0.5) * 1000:.2f} ms, "
        f"p95 {_percentile(appends, 0.95) * 1000:.2f} ms (target p50 < 1 ms); whole "
        f"transaction with its commit p50 {_percentile(transactions, 0.5) * 1000:.2f} ms, "
        f"p95 {_percentile(transactions, 0.95) * 1000:.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--rows", type=int, default=1000, help="entries per writer")
    parser.add_argument("--seal-every", type=float, default=2.0, help="seconds (beat default)")
    parser.add_argument("--alone", action="store_true", help="entries outside a transaction")
    parser.add_argument("--floor", action="store_true", help="also bare psycopg, no Django")
    args = parser.parse_args()
    setup_django("cpims_bench_audit")
    import os

    from django.db import connection

    from audit.chain import chain_verify
    from audit.sealer import chain_seal
    from tenants.models import User

    user, _ = User.objects.get_or_create(email="bench-audit@example.test")
    rows = args.writers * args.rows
    mode = "alone (as a page)" if args.alone else "in a transaction"
    print(f"load before: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores; {mode}")

    def sealed_run(target, args_of) -> tuple[float, list[float], list[float]]:
        """The writers, with the sealer beside them on its beat interval."""
        connection.close()  # the writers are forked: none inherits this connection
        stop = threading.Event()

        def sealer() -> None:
            try:
                while not stop.wait(args.seal_every):
                    chain_seal("public")
            finally:
                connection.close()

        sealing = threading.Thread(target=sealer)
        sealing.start()
        try:
            return _run_writers(target, args_of, args.writers)
        finally:
            stop.set()
            sealing.join()

    chain_seal("public")  # whatever earlier runs left
    if args.floor:  # the same writers and sealer, the application's code left out
        floor = sealed_run(
            _floor_writer, (os.environ["DATABASE_URL"], user.pk, user.email, args.rows, args.alone)
        )
        chain_seal("public")
        _figures("floor (bare psycopg, no Django)", args.writers, rows, *floor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM public.audit_platformaccessentry")
        first_id = cursor.fetchone()[0]
    elapsed, appends, transactions = sealed_run(_writer, (user.pk, args.rows, args.alone))
    chain_seal("public")  # the rows the last turn had not reached yet
    _figures("access_record (the application)", args.writers, rows, elapsed, appends, transactions)
    if args.floor:
        print(
            f"  application / floor: {(rows / elapsed) / (rows / floor[0]):.2f} of the throughput"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT extract(epoch FROM c.linked_at - e.occurred_at) FROM public.audit_chain c "
            "JOIN public.audit_platformaccessentry e "
            "ON c.table_name = 'audit_platformaccessentry' AND e.id = c.row_id "
            "WHERE e.id > %s AND e.purpose = 'bench' AND e.actor_id = %s",
            [first_id, user.pk],
        )
        lags = [float(row[0]) for row in cursor.fetchall()]
        cursor.execute("SELECT count(*) FROM public.audit_chain")
        links = cursor.fetchone()[0]
    verify_started = time.perf_counter()
    broken = chain_verify("public")
    verify_elapsed = time.perf_counter() - verify_started
    print(
        f"sealing lag ({len(lags)} entries, sealer every {args.seal_every:g} s): "
        f"p50 {_percentile(lags, 0.5):.2f} s, p95 {_percentile(lags, 0.95):.2f} s, "
        f"max {max(lags):.2f} s (target p95 < 5 s)"
    )
    print(
        f"chain: {links} links, verified in {verify_elapsed:.2f} s "
        f"({verify_elapsed / links * 1000 * 1000:.1f} ms per 1,000 links): "
        f"{'intact' if broken is None else broken}"
    )
    print(f"load after: {os.getloadavg()[0]:.2f} (1 min)")
    if broken is not None or len(lags) != rows:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
