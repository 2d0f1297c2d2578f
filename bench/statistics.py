"""National statistics at scale: loads synthetic facts across 47 counties and prints the
national dashboard time (cold and warm), a county drill-down time, the outbox drain
throughput in events per second (new facts, each with its source) and the restatement
throughput (the same sources written again with another date: retract and re-add).

    .venv/bin/python bench/statistics.py [--facts 10000000] [--drain-events 50000] [--wipe]
        [--reuse]

The drained events are of the loaded facts' kinds in turn (one in five opens a case, so
the drain keeps the children rollups too). ``--reuse`` measures the facts and rollups a
previous run loaded (the facts its drain added are first retracted through the drain).

Targets: national dashboard < 1 s, county < 200 ms, drain >= 5,000 events/s,
restatement >= 2,000 events/s.
"""

from __future__ import annotations

import sys

# This file is named like the standard library's statistics module: keep bench/ off the path.
sys.path[:] = [p for p in sys.path if p and not p.rstrip("/").endswith("bench")]

import argparse  # noqa: E402
import os  # noqa: E402
import statistics as stats  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._setup import setup_django  # noqa: E402

CATEGORIES = [
    "CSIC",
    "CCDF",
    "CTRF",
    "CSNG",
    "CCEA",
    "CIDC",
    "CDIS",
    "CSAD",
    "CCCP",
    "CSHV",
    "CCCM",
    "CSDS",
    "CSRC",
    "CCIP",
    "CSCS",
]


KINDS = ["case_opened", "case_category_added", "follow_up", "referral", "case_closed"]


def load_facts(total: int, organisation_ids: list[int]) -> float:
    """Insert synthetic facts with generate_series and roll them up as the drain does (the
    children's ChildArea rows and counts through the drain's own SQL)."""
    from django.db import connection

    from national_statistics.children import child_areas_rebuild
    from national_statistics.county_counts import county_counts_rebuild
    from national_statistics.rollups import case_progress_rebuild

    started = time.perf_counter()
    categories = "ARRAY[" + ",".join(f"'{c}'" for c in CATEGORIES) + "]"
    orgs = "ARRAY[" + ",".join(str(o) for o in organisation_ids) + "]"
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE national_statistics_fact, national_statistics_monthlycount, "
            "national_statistics_childmonth, national_statistics_childarea, "
            "national_statistics_childareacount, national_statistics_countymonthcount, "
            "national_statistics_factsource, national_statistics_caseprogress, "
            "national_statistics_pendingcount"
        )
        chunk = 1_000_000
        for offset in range(0, total, chunk):
            size = min(chunk, total - offset)
            cursor.execute(f"""
                INSERT INTO national_statistics_fact (organisation_id, outbox_event_id, occurred_on,
                    event_kind, programme, category, sex, age_band, county, sub_county, ward,
                    case_ref, person_ref, drained_at)
                SELECT ({orgs})[1 + (g / 3 % 47 % {len(organisation_ids)})], g,
                       date '2024-07-01' + (g % 730),
                       (ARRAY['case_opened','case_category_added','follow_up','referral',
                              'case_closed'])[1 + (g % 5)],
                       'case_management',
                       CASE WHEN g % 5 = 0 THEN ''
                            ELSE ({categories})[1 + (g / 5 % {len(CATEGORIES)})] END,
                       (ARRAY['SFEM','SMAL'])[1 + (g % 2)],
                       (ARRAY['0-5','6-10','11-15','16-17'])[1 + (g / 7 % 4)],
                       lpad((1 + g / 3 % 47)::text, 3, '0'),
                       ((1 + g / 3 % 47) * 6 + g / 7 % 6)::text, '',
                       md5(g::text), md5((g / 7)::text), now()
                FROM generate_series({offset + 1}, {offset + size}) AS g""")  # noqa: S608
        cursor.execute("""
            INSERT INTO national_statistics_monthlycount (month, organisation_id, event_kind,
                programme, category, sex, age_band, county, sub_county, n)
            SELECT date_trunc('month', occurred_on)::date, organisation_id, event_kind, programme,
                   category, sex, age_band, county, sub_county, count(*)
            FROM national_statistics_fact GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9""")
        cursor.execute("""
            INSERT INTO national_statistics_childmonth (month, person_key, organisation_id,
                county, sub_county, n)
            SELECT date_trunc('month', occurred_on)::date,
                   hashtextextended(person_ref, 0), organisation_id, county,
                   sub_county, count(*)
            FROM national_statistics_fact WHERE event_kind = 'case_opened'
            GROUP BY 1, 2, 3, 4, 5""")
        cursor.execute("ANALYZE national_statistics_fact")
        cursor.execute("ANALYZE national_statistics_monthlycount")
        cursor.execute("ANALYZE national_statistics_childmonth")
    print(f"county cells: {county_counts_rebuild():,}", flush=True)
    areas_started = time.perf_counter()
    rows = child_areas_rebuild()
    print(f"child-area rows: {rows:,} in {time.perf_counter() - areas_started:.1f} s", flush=True)
    cases_started = time.perf_counter()
    rows = case_progress_rebuild()
    print(f"case-progress rows: {rows:,} in {time.perf_counter() - cases_started:.1f} s")
    with connection.cursor() as cursor:
        # what autovacuum does after a bulk insert: the tiles read the indexes alone
        cursor.execute("VACUUM (ANALYZE) national_statistics_childarea")
        cursor.execute("VACUUM (ANALYZE) national_statistics_pendingcount")
    return time.perf_counter() - started


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facts", type=int, default=10_000_000)
    parser.add_argument("--drain-events", type=int, default=50_000)
    parser.add_argument(
        "--wipe", action="store_true", help="replace facts of other organisations too"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="measure the facts a previous run loaded"
    )
    args = parser.parse_args()
    setup_django("cpims_bench_statistics")
    from national_statistics.models import Fact

    # With DATABASE_URL the benchmark runs in that database and empties the fact tables:
    # refuse when they hold anything but its own facts, unless told to.
    if Fact.objects.exclude(organisation__slug__startswith="stats-").exists() and not args.wipe:
        sys.exit(
            "This database holds other organisations' facts; the benchmark would erase "
            "them (use --wipe, or run it without DATABASE_URL on its own database)."
        )

    from django.db import connection, transaction
    from django.db.models import Sum

    from case_apps.outbox.models import OutboxEvent
    from national_statistics.drain import drain_organisation
    from national_statistics.models import ChildMonth, MonthlyCount
    from national_statistics.selectors import (
        StatisticsScope,
        children_in,
        dashboard,
        pending_in,
    )
    from provisioning.services import organisation_provision
    from tenants.models import Organisation
    from tenants.schema import workspace_context
    from tenants.services import organisation_create

    organisations = []
    for n in range(5):
        org = Organisation.objects.filter(slug=f"stats-{n}").first() or organisation_create(
            name=f"Statistics bench {n}", slug=f"stats-{n}", kind="cci"
        )
        organisations.append(organisation_provision(organisation=org))

    if not args.reuse:
        print(f"loading {args.facts:,} facts ... ({load()})", flush=True)
        seconds = load_facts(args.facts, [o.pk for o in organisations])
        print(f"facts loaded in {seconds:.1f} s")
    print(
        f"{Fact.objects.count():,} facts; monthly cells: "
        f"{MonthlyCount.objects.count():,}; child-months: {ChildMonth.objects.count():,} "
        f"({load()})"
    )

    period = (date(2024, 7, 1), date(2026, 6, 1))
    with connection.cursor() as cursor:  # cold: drop what PostgreSQL cached for these tables
        cursor.execute("DISCARD ALL")
    cold = timed(lambda: dashboard(StatisticsScope(), *period), 1)[0]
    warm = timed(lambda: dashboard(StatisticsScope(), *period), 5)
    county = timed(lambda: dashboard(StatisticsScope(county="042"), *period), 5)
    print(
        f"national dashboard: cold {cold:7.1f} ms   warm median {stats.median(warm):7.1f} ms"
        f"   (target < 1000 ms)"
    )
    print(f"county drill-down:  median {stats.median(county):7.1f} ms   (target < 200 ms)")
    national_children = timed(lambda: children_in(StatisticsScope(), *period), 5)
    county_children = timed(lambda: children_in(StatisticsScope(county="042"), *period), 5)
    print(
        f"children tile ({children_in(StatisticsScope(), *period):,} children): national "
        f"median {stats.median(national_children):.1f} ms, county "
        f"{stats.median(county_children):.1f} ms   ({load()})"
    )
    national_pending = timed(lambda: pending_in(StatisticsScope(), *period), 5)
    county_pending = timed(lambda: pending_in(StatisticsScope(county="042"), *period), 5)
    print(
        f"pending tile ({pending_in(StatisticsScope(), *period):,} cases): national "
        f"median {stats.median(national_pending):.1f} ms, county "
        f"{stats.median(county_pending):.1f} ms   ({load()})"
    )

    from case_apps.outbox.schemas import RETRACTED
    from case_apps.outbox.services import day_of
    from national_statistics.models import FactSource

    target = organisations[0]
    with workspace_context(target), connection.cursor() as cursor:
        # the loaded facts took outbox event ids 1..N: the drained events' ids start past
        # them, or ON CONFLICT would pass over some events as drained already
        cursor.execute(
            "SELECT max(outbox_event_id) FROM public.national_statistics_fact "
            "WHERE organisation_id = %s AND source = ''",
            [target.pk],
        )
        loaded = cursor.fetchone()[0] or 0
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [OutboxEvent._meta.db_table])
        sequence = cursor.fetchone()[0]
        cursor.execute(f"SELECT last_value FROM {sequence}")  # noqa: S608 (a catalogue name)
        if cursor.fetchone()[0] < loaded:
            cursor.execute("SELECT setval(%s, %s)", [sequence, loaded])
    marks = FactSource.objects.filter(organisation=target)
    leftovers = list(marks.values_list("source", flat=True))
    if leftovers:  # a previous run's drained facts: withdrawn through the drain, not timed
        with workspace_context(target), transaction.atomic():
            OutboxEvent.objects.all().delete()
            OutboxEvent.objects.bulk_create(
                OutboxEvent(
                    kind=RETRACTED, occurred_at=day_of(date(2026, 1, 15)), source=source, payload={}
                )
                for source in leftovers
            )
        print(f"retracted {drain_organisation(target):,} facts of a previous run", flush=True)
    FactSource.objects.filter(organisation=target).delete()

    def write_events(day: date) -> None:
        with workspace_context(target), transaction.atomic():
            OutboxEvent.objects.all().delete()
            OutboxEvent.objects.bulk_create(
                OutboxEvent(
                    kind=KINDS[i % len(KINDS)],
                    occurred_at=day_of(day),
                    source=f"case:{i // 4}:followup:{i}",
                    payload={
                        "category": CATEGORIES[i % len(CATEGORIES)],
                        "sex": "SFEM",
                        "age_band": "6-10",
                        "county": "042",
                        "sub_county": "240",
                        "programme": "case_management",
                        "case_ref": f"{i // 4:020d}",
                        "person_ref": f"{i // 4:032x}",
                    },
                )
                for i in range(args.drain_events)
            )

    for label, day, target_rate in (
        ("drain", date(2026, 1, 15), 5_000),
        ("restatement", date(2025, 11, 20), 2_000),  # the same sources, corrected dates
    ):
        write_events(day)
        started = time.perf_counter()
        drained = drain_organisation(target)
        seconds = time.perf_counter() - started
        print(
            f"{label}: {drained:,} events in {seconds:.2f} s = {drained / seconds:,.0f} events/s"
            f"   (target >= {target_rate:,}/s; {load()})"
        )
    moved = MonthlyCount.objects.filter(
        organisation=target, month=date(2026, 1, 1), county="042"
    ).aggregate(total=Sum("n"))["total"]
    assert not moved, "restated facts must leave their old month"


if __name__ == "__main__":
    main()
