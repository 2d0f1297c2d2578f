"""Approval-to-active time as the number of workspaces grows, and a no-op migrate over them.

At each checkpoint (existing workspace counts) it times ``--sample`` approvals through the real
path (``organisation_approve`` then ``organisation_provision``, as the console and the worker
run them) twice: with the schema pool filled (provisioning renames a ready schema) and with
it empty (the blueprint replay). It also times the pool refill per schema (the background
job's work) and prints p50/p95 of the whole approval and of its ``schema`` step. Then it times
``migrate_schemas --executor=workspaces`` with nothing to apply.
Targets (issue 3): p50 < 0.3 s, p50 at the last checkpoint within 1.2x of the first, no-op
migrate over 2,000 workspaces < 60 s.

It needs a database of its own (each empty workspace costs ~4 MB; 2,000 take ~8 GB):

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/cpims_bench_prov \\
        .venv/bin/python bench/provisioning.py [--checkpoints 100,1000,2000] [--sample 20]

Defaults (checkpoints 50,100,200) finish in a few minutes. Workspaces between checkpoints
are made by the replay path (the pool is emptied first). The connection is renewed every 25
provisions, as a worker's would be (CONN_MAX_AGE). Without DATABASE_URL it uses the embedded
PostgreSQL (database cpims_bench). ``--fresh`` first removes earlier bench workspaces.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._setup import setup_django  # noqa: E402

PREFIX = "bench-p-"


def percentile(values: list[float], q: float) -> float:
    # (bench/statistics.py shadows the standard library's statistics module here)
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def ms(value: float) -> str:
    return f"{value * 1000:6.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checkpoints", default="50,100,200",
                        help="existing workspace counts at which to measure")  # fmt: skip
    parser.add_argument("--sample", type=int, default=20, help="approvals timed per path")
    parser.add_argument("--fresh", action="store_true", help="remove earlier bench workspaces")
    parser.add_argument(
        "--compare-standard", action="store_true", help="also time the stock no-op migrate"
    )
    parser.add_argument(
        "--baseline", type=int, default=0,
        help="also time this many schemas built by running the migrations (rolled back)",
    )  # fmt: skip
    args = parser.parse_args()
    checkpoints = sorted(int(c) for c in args.checkpoints.split(","))
    setup_django()

    from django.core.management import call_command
    from django.db import connection, transaction

    from provisioning import blueprint, pool
    from provisioning.services import organisation_approve, organisation_provision
    from tenants.models import Organisation, User
    from tenants.services import organisation_create

    if args.fresh:
        for org in Organisation.objects.filter(slug__startswith=PREFIX):
            blueprint.schema_drop(org.schema_name)
            org.delete()
    operator, _ = User.objects.get_or_create(email="operator@bench.test")
    if blueprint.blueprint_get() is None:
        start = time.perf_counter()
        blueprint.blueprint_refresh()
        print(f"blueprint recorded (schema built by migrations): "
              f"{(time.perf_counter() - start) * 1000:.0f} ms")  # fmt: skip
    pool.pool_refill(size=0)

    counter = [Organisation.objects.filter(slug__startswith=PREFIX).count()]

    def approve_one() -> tuple[float, float]:
        """Approval to active for a new applicant, and the time until its schema was made
        (approval, lock, schema step's work; in seconds)."""
        counter[0] += 1
        slug = f"{PREFIX}{counter[0]:05d}"
        while Organisation.objects.filter(slug=slug).exists():
            counter[0] += 1
            slug = f"{PREFIX}{counter[0]:05d}"
        org = organisation_create(name=f"Bench {counter[0]}", slug=slug, kind="cci")
        if counter[0] % 25 == 0:
            # A worker's connection lives CONN_MAX_AGE seconds, not thousands of schemas: one
            # that created every schema keeps each in its catalogue caches and slows down.
            connection.close()
        marks: dict[str, float] = {}
        start = time.perf_counter()
        organisation_approve(organisation=org, by=operator)
        organisation_provision(
            organisation=org, hook=lambda step: marks.setdefault(step, time.perf_counter())
        )
        return time.perf_counter() - start, marks["schema"] - start

    def workspaces() -> int:
        return Organisation.objects.filter(status="active").count()

    rows = []
    refill_times: list[float] = []
    for checkpoint in checkpoints:
        fill_start = time.perf_counter()
        filled = 0
        while workspaces() < checkpoint:
            approve_one()
            filled += 1
        if filled:
            print(f"  filled {filled} workspaces in {time.perf_counter() - fill_start:.1f} s")
        existing = workspaces()
        start = time.perf_counter()
        built = pool.pool_refill(size=args.sample).built
        refill = (time.perf_counter() - start) / max(built, 1)
        refill_times.append(refill)
        pooled = [approve_one() for _ in range(args.sample)]
        assert pool.pool_ready() == 0, "every timed approval took a pooled schema"
        replayed = [approve_one() for _ in range(args.sample)]
        row = {"existing": existing, "refill": refill}
        for path, times in (("pool", pooled), ("replay", replayed)):
            whole = [t for t, _ in times]
            schema = [s for _, s in times]
            row[path] = (percentile(whole, 0.5), percentile(whole, 0.95),
                         percentile(schema, 0.5))  # fmt: skip
            p50, p95, schema_p50 = row[path]
            print(f"at {existing:>5} workspaces, {path:6}: approval to active p50 {ms(p50)} ms"
                  f"  p95 {ms(p95)} ms  (schema made after {ms(schema_p50)} ms, p50)",
                  flush=True)  # fmt: skip
        print(f"at {existing:>5} workspaces, pool refill: {ms(refill)} ms per schema", flush=True)
        rows.append(row)

    if args.baseline:

        class _Rollback(Exception):
            pass

        times = []
        for n in range(args.baseline):
            probe = Organisation(schema_name=f"bench_baseline_{n}")
            start = time.perf_counter()
            try:
                with transaction.atomic():
                    probe.create_schema(check_if_exists=False, verbosity=0)
                    times.append(time.perf_counter() - start)
                    raise _Rollback
            except _Rollback:
                pass
        print(f"baseline, schema built by running the migrations: p50 "
              f"{percentile(times, 0.5) * 1000:.0f} ms (n={len(times)}, stock path)")  # fmt: skip

    total = workspaces()
    # Migrations added to the checkout during the run would make the timed run a real one:
    # catch up first (untimed), then time the run with nothing to apply.
    call_command("migrate_schemas", executor="workspaces", interactive=False, verbosity=0)
    start = time.perf_counter()
    call_command("migrate_schemas", executor="workspaces", interactive=False, verbosity=0)
    noop = time.perf_counter() - start
    standard = None
    if args.compare_standard:
        start = time.perf_counter()
        call_command("migrate_schemas", executor="standard", interactive=False, verbosity=0)
        standard = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]

    print()
    print("                 approval to active (ms)          schema made after   refill")
    print("workspaces   pool p50  p95   replay p50  p95      pool   replay    (p50, ms) ms/schema")
    for r in rows:
        print(f"{r['existing']:>10} {ms(r['pool'][0])} {ms(r['pool'][1])}      "
              f"{ms(r['replay'][0])} {ms(r['replay'][1])}    {ms(r['pool'][2])} "
              f"{ms(r['replay'][2])}          {ms(r['refill'])}")  # fmt: skip
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        for path in ("pool", "replay"):
            print(f"{path}: p50 at {last['existing']} / p50 at {first['existing']}: "
                  f"{last[path][0] / first[path][0]:.2f}x (target <= 1.2)")  # fmt: skip
    print(f"no-op migrate_schemas --executor=workspaces over {total} workspaces: {noop:.1f} s "
          "(target < 60 s at 2,000)")  # fmt: skip
    if standard is not None:
        print(f"no-op migrate_schemas --executor=standard (stock) over {total}: {standard:.1f} s")
    print(f"database size: {size}")


if __name__ == "__main__":
    main()
