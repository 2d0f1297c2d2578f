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
    parser.add_argument(
        "--checkpoints", default="50,100,200", help="existing workspace counts at which to measure"
    )
    parser.add_argument("--sample", type=int, default=20, help="approvals timed per path")
    parser.add_argument("--fresh", action="store_true", help="remove earlier bench workspaces")
    parser.add_argument(
        "--compare-standard", action="store_true", help="also time the stock no-op migrate"
    )
    parser.add_argument(
        "--baseline",
        type=int,
        default=0,
        help="also time this many schemas built by running the migrations (rolled back)",
    )
    parser.add_argument(
        "--reference-database",
        default="",
        help="a second database (same server, created if missing) kept at --reference-size "
        "workspaces; its approvals alternate with the main ones, so the ratio between the two "
        "is measured in the same minutes (catalogues are per database) whatever else loads "
        "the machine",
    )
    parser.add_argument(
        "--reference-size",
        type=int,
        default=0,
        help="workspaces in the reference database (default: the first checkpoint)",
    )
    args = parser.parse_args()
    checkpoints = sorted(int(c) for c in args.checkpoints.split(","))
    setup_django()

    from django.core.management import call_command
    from django.db import connection, connections, transaction

    from provisioning import blueprint, pool
    from provisioning.services import organisation_approve, organisation_provision
    from tenants.actor import Actor
    from tenants.models import Organisation, PlatformRole, User
    from tenants.services import organisation_create

    databases = {"main": connections["default"]}
    if args.reference_database:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [args.reference_database]
            )
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{args.reference_database}"')
        reference = connections.create_connection("default")
        reference.settings_dict = {**reference.settings_dict, "NAME": args.reference_database}
        databases["reference"] = reference

    def use(name: str) -> None:
        """Point django.db.connection at one of the databases (each keeps its connection)."""
        connections["default"] = databases[name]

    counters: dict[str, int] = {}
    operators: dict[str, User] = {}

    def prepare(name: str) -> None:
        use(name)
        if name != "main":
            call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
        if args.fresh:
            for org in Organisation.objects.filter(slug__startswith=PREFIX):
                blueprint.schema_drop(org.schema_name)
                org.delete()
        operators[name] = User.objects.get_or_create(email="operator@bench.test")[0]
        if PlatformRole.NATIONAL_ADMINISTRATOR not in operators[name].platform_roles:
            operators[name].platform_roles = [PlatformRole.NATIONAL_ADMINISTRATOR]
            operators[name].save(update_fields=["platform_roles"])
        if blueprint.blueprint_get() is None:
            start = time.perf_counter()
            blueprint.blueprint_refresh()
            print(
                f"{name}: blueprint recorded (schema built by migrations): "
                f"{(time.perf_counter() - start) * 1000:.0f} ms"
            )
        pool.pool_refill(size=0)
        counters[name] = Organisation.objects.filter(slug__startswith=PREFIX).count()

    def approve_one(name: str) -> tuple[float, float, str]:
        """Approval to active for a new applicant, and the time until its schema was made
        (approval, lock, schema step's work; in seconds), in database ``name``."""
        use(name)
        counters[name] += 1
        slug = f"{PREFIX}{counters[name]:05d}"
        while Organisation.objects.filter(slug=slug).exists():
            counters[name] += 1
            slug = f"{PREFIX}{counters[name]:05d}"
        if counters[name] % 25 == 0:
            # A worker's connection lives CONN_MAX_AGE seconds, not thousands of schemas: one
            # that created every schema keeps each in its catalogue caches and slows down.
            connection.close()
        org = organisation_create(name=f"Bench {counters[name]}", slug=slug, kind="cci")
        marks: dict[str, float] = {}
        start = time.perf_counter()
        organisation_approve(actor=Actor(user=operators[name]), organisation_id=org.pk)
        organisation_provision(
            organisation=org, hook=lambda step: marks.setdefault(step, time.perf_counter())
        )
        return time.perf_counter() - start, marks["schema"] - start, slug

    def workspaces(name: str) -> int:
        use(name)
        return Organisation.objects.filter(status="active").count()

    def fill(name: str, target: int) -> None:
        fill_start = time.perf_counter()
        filled = 0
        while workspaces(name) < target:
            approve_one(name)
            filled += 1
        if filled:
            print(
                f"  {name}: filled {filled} workspaces in {time.perf_counter() - fill_start:.1f} s",
                flush=True,
            )

    def summary(times: list) -> tuple[float, float, float]:
        whole = [t[0] for t in times]
        return (
            percentile(whole, 0.5),
            percentile(whole, 0.95),
            percentile([t[1] for t in times], 0.5),
        )

    for name in databases:
        prepare(name)
    reference_size = args.reference_size or checkpoints[0]
    if "reference" in databases:
        fill("reference", reference_size)

    rows = []
    for checkpoint in checkpoints:
        fill("main", checkpoint)
        row: dict = {name: {"existing": workspaces(name)} for name in databases}
        for name in databases:
            use(name)
            start = time.perf_counter()
            built = pool.pool_refill(size=args.sample).built
            row[name]["refill"] = (time.perf_counter() - start) / max(built, 1)
        made: dict[str, list] = {name: [] for name in databases}
        for path in ("pool", "replay"):
            times: dict[str, list] = {name: [] for name in databases}
            for _ in range(args.sample):
                for name in databases:  # alternate: both databases see the same minutes
                    times[name].append(approve_one(name))
            for name in databases:
                use(name)
                if path == "pool":
                    assert pool.pool_ready() == 0, "every timed approval took a pooled schema"
                row[name][path] = summary(times[name])
                made[name] += [t[2] for t in times[name]]
        if "reference" in databases:  # back to its size for the next checkpoint
            use("reference")
            for org in Organisation.objects.filter(slug__in=made["reference"]):
                blueprint.schema_drop(org.schema_name)
                org.delete()
        for name in databases:
            r = row[name]
            for path in ("pool", "replay"):
                p50, p95, schema_p50 = r[path]
                print(
                    f"{name:9} at {r['existing']:>5} workspaces, {path:6}: approval to active "
                    f"p50 {ms(p50)} ms  p95 {ms(p95)} ms  (schema made after "
                    f"{ms(schema_p50)} ms, p50)",
                    flush=True,
                )
            print(
                f"{name:9} at {r['existing']:>5} workspaces, pool refill: "
                f"{ms(r['refill'])} ms per schema",
                flush=True,
            )
        if "reference" in databases:
            for path in ("pool", "replay"):
                ratio = row["main"][path][0] / row["reference"][path][0]
                main, ref = row["main"]["existing"], row["reference"]["existing"]
                print(f"  {path}: p50 at {main} / p50 at {ref} in the same minutes: {ratio:.2f}x")
        rows.append(row)
    use("main")

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
        print(
            f"baseline, schema built by running the migrations: p50 "
            f"{percentile(times, 0.5) * 1000:.0f} ms (n={len(times)}, stock path)"
        )

    total = workspaces("main")
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
    for row in rows:
        for name in databases:
            r = row[name]
            label = "" if name == "main" else "  (reference, same minutes)"
            print(
                f"{r['existing']:>10} {ms(r['pool'][0])} {ms(r['pool'][1])}      "
                f"{ms(r['replay'][0])} {ms(r['replay'][1])}    {ms(r['pool'][2])} "
                f"{ms(r['replay'][2])}          {ms(r['refill'])}{label}"
            )
    if len(rows) > 1:
        first, last = rows[0]["main"], rows[-1]["main"]
        for path in ("pool", "replay"):
            print(
                f"{path}: p50 at {last['existing']} / p50 at {first['existing']}: "
                f"{last[path][0] / first[path][0]:.2f}x (target <= 1.2; sequential, so "
                "load changes between checkpoints show up here)"
            )
    if "reference" in databases:
        for path in ("pool", "replay"):
            ratios = [row["main"][path][0] / row["reference"][path][0] for row in rows]
            print(
                f"{path}: p50 main / p50 reference at each checkpoint (same minutes): "
                + ", ".join(f"{r:.2f}x" for r in ratios)
            )
    print(
        f"no-op migrate_schemas --executor=workspaces over {total} workspaces: {noop:.1f} s "
        "(target < 60 s at 2,000)"
    )
    if standard is not None:
        print(f"no-op migrate_schemas --executor=standard (stock) over {total}: {standard:.1f} s")
    print(f"database size: {size}")


if __name__ == "__main__":
    main()
