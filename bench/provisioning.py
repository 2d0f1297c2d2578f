"""Provisioning speed as the number of workspaces grows, and a no-op migrate over all of them.

Provisions organisations through the real service (blueprint replay after the first), and at
each checkpoint (existing workspace counts) times ``--sample`` more provisions and prints p50
and p95. Then times ``migrate_schemas --executor=workspaces`` with nothing to apply.
Targets (issue 3): p50 < 0.3 s, p50 at the last checkpoint within 1.2x of the first, no-op
migrate over 2,000 workspaces < 60 s.

It needs a database of its own (each empty workspace costs ~4 MB; 2,000 take ~8 GB):

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/cpims_bench_prov \\
        .venv/bin/python bench/provisioning.py [--checkpoints 100,1000,2000] [--sample 20]

Defaults (checkpoints 50,100,200) finish in a few minutes. The connection is renewed every 25
provisions, as a worker's would be (CONN_MAX_AGE). Without DATABASE_URL it uses the
embedded PostgreSQL (database cpims_bench). ``--fresh`` first removes earlier bench workspaces.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checkpoints", default="50,100,200",
                        help="existing workspace counts at which to measure")  # fmt: skip
    parser.add_argument("--sample", type=int, default=20, help="provisions timed per checkpoint")
    parser.add_argument("--fresh", action="store_true", help="remove earlier bench workspaces")
    parser.add_argument(
        "--compare-standard", action="store_true", help="also time the stock no-op migrate"
    )
    parser.add_argument(
        "--baseline", type=int, default=5,
        help="also time this many schemas built by running the migrations (rolled back)",
    )  # fmt: skip
    args = parser.parse_args()
    checkpoints = sorted(int(c) for c in args.checkpoints.split(","))
    setup_django()

    from django.core.management import call_command
    from django.db import connection

    from provisioning import blueprint
    from provisioning.services import organisation_provision
    from tenants.models import Organisation
    from tenants.services import organisation_create

    if args.fresh:
        for org in Organisation.objects.filter(slug__startswith=PREFIX):
            blueprint.schema_drop(org.schema_name)
            org.delete()

    counter = [Organisation.objects.filter(slug__startswith=PREFIX).count()]

    def provision_one() -> float:
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
        start = time.perf_counter()
        organisation_provision(organisation=org)
        return time.perf_counter() - start

    def workspaces() -> int:
        return Organisation.objects.filter(status="active").count()

    if blueprint.blueprint_get() is None:
        first = provision_one()
        print(f"first workspace (built by migrations, script recorded): {first * 1000:.0f} ms")

    rows = []
    for checkpoint in checkpoints:
        fill_start = time.perf_counter()
        filled = 0
        while workspaces() < checkpoint:
            provision_one()
            filled += 1
        if filled:
            print(f"  filled {filled} workspaces in {time.perf_counter() - fill_start:.1f} s")
        existing = workspaces()
        times = [provision_one() for _ in range(args.sample)]
        rows.append((existing, percentile(times, 0.5), percentile(times, 0.95)))
        print(f"at {existing:>5} workspaces: p50 {rows[-1][1] * 1000:6.0f} ms   "
              f"p95 {rows[-1][2] * 1000:6.0f} ms   (n={args.sample})", flush=True)  # fmt: skip

    if args.baseline:
        from django.db import transaction

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
    print("workspaces   p50 ms   p95 ms")
    for existing, p50, p95 in rows:
        print(f"{existing:>10} {p50 * 1000:8.0f} {p95 * 1000:8.0f}")
    if len(rows) > 1:
        print(f"p50 at {rows[-1][0]} / p50 at {rows[0][0]}: {rows[-1][1] / rows[0][1]:.2f}x "
              "(target <= 1.2)")  # fmt: skip
    print(f"no-op migrate_schemas --executor=workspaces over {total} workspaces: {noop:.1f} s "
          "(target < 60 s at 2,000)")  # fmt: skip
    if standard is not None:
        print(f"no-op migrate_schemas --executor=standard (stock) over {total}: {standard:.1f} s")
    print(f"database size: {size}")


if __name__ == "__main__":
    main()
