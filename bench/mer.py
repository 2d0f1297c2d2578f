"""PEPFAR MER reports at scale: loads synthetic OVC facts (beneficiaries across 47 counties,
each enrolled with an HIV status and a school level, served over two years, some exited),
builds the MER rollup the drain keeps (national_statistics/rollups.py) and prints the p50
time of OVC_SERV and OVC_HIVSTAT nationally, for a county and for one organisation, read
from the rollup (what dashboard tiles and exports use) and, once, from every fact (the
reference computation, as before the rollup).

    .venv/bin/python bench/mer.py [--beneficiaries 500000] [--wipe]

It replaces every fact of its database: run it on the embedded PostgreSQL (no
DATABASE_URL) or a scratch database; it refuses a database that holds facts unless
given --wipe.

Targets: national p50 < 1 s, county < 200 ms (from the rollup).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._setup import setup_django  # noqa: E402

ORGANISATIONS = 20  # organisation ids are only dimensions here (facts hold no constraint)

# One row per fact: each beneficiary g gets an enrolment, an HIV status and a school level
# on its registration day, one service a quarter-ish over two years, and one in ten exits.
LOAD_SQL = """
INSERT INTO national_statistics_fact (organisation_id, outbox_event_id, occurred_on,
    event_kind, programme, category, sex, age_band, county, sub_county, ward, case_ref,
    drained_at)
SELECT 1 + g % {orgs}, g * 16 + k, day, kind, 'POVC', category,
       (ARRAY['SFEM','SMAL'])[1 + g % 2],
       (ARRAY['<1','1-4','5-9','10-14','15-17','18-20'])[1 + g / 3 % 6],
       lpad((1 + g % 47)::text, 3, '0'), ((1 + g % 47) * 6 + g % 6)::text, '',
       md5(g::text), now()
FROM generate_series({first}, {last}) AS g,
LATERAL (VALUES
    (0, date '2024-10-01' + (g % 365), 'ovc_enrolled', ''),
    (1, date '2024-10-01' + (g % 365), 'ovc_hiv_status',
        (ARRAY['negative','negative','unknown','positive_on_art','positive_no_art'])[1 + g % 5]),
    (2, date '2024-10-01' + (g % 365), 'ovc_school_status',
        (ARRAY['SLPR','SLSE','SLNS'])[1 + g / 7 % 3])
) AS base(k, day, kind, category)
UNION ALL
SELECT 1 + g % {orgs}, g * 16 + 3 + s, date '2024-10-01' + (g % 365) + s * 80 + g % 40,
       'ovc_service', 'POVC', 'healthy', (ARRAY['SFEM','SMAL'])[1 + g % 2],
       (ARRAY['<1','1-4','5-9','10-14','15-17','18-20'])[1 + g / 3 % 6],
       lpad((1 + g % 47)::text, 3, '0'), ((1 + g % 47) * 6 + g % 6)::text, '',
       md5(g::text), now()
FROM generate_series({first}, {last}) AS g, generate_series(0, 8 - g % 3) AS s
UNION ALL
SELECT 1 + g % {orgs}, g * 16 + 15, date '2025-06-01' + (g % 480),
       CASE WHEN g % 20 = 0 THEN 'ovc_graduated' ELSE 'ovc_exited' END, 'POVC',
       CASE WHEN g % 20 = 0 THEN 'ERCP' ELSE 'ERRL' END, (ARRAY['SFEM','SMAL'])[1 + g % 2],
       (ARRAY['<1','1-4','5-9','10-14','15-17','18-20'])[1 + g / 3 % 6],
       lpad((1 + g % 47)::text, 3, '0'), ((1 + g % 47) * 6 + g % 6)::text, '',
       md5(g::text), now()
FROM generate_series({first}, {last}) AS g WHERE g % 10 = 0
"""


def load(beneficiaries: int) -> tuple[int, float]:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE national_statistics_fact, national_statistics_monthlycount")
        chunk = 100_000
        for first in range(1, beneficiaries + 1, chunk):
            last = min(first + chunk - 1, beneficiaries)
            cursor.execute(LOAD_SQL.format(orgs=ORGANISATIONS, first=first, last=last))
        cursor.execute("ANALYZE national_statistics_fact")
        cursor.execute("SELECT count(*) FROM national_statistics_fact")
        total = cursor.fetchone()[0]
    return total, time.perf_counter() - started


def timed(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[len(times) // 2]  # the median (no `statistics`: see bench/statistics.py)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--beneficiaries", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--skip-facts", action="store_true", help="do not time the computation from facts"
    )
    parser.add_argument("--wipe", action="store_true", help="replace the facts already there")
    args = parser.parse_args()
    setup_django("cpims_bench_mer")

    from national_statistics import mer
    from national_statistics.mer import ovc_hivstat, ovc_serv
    from national_statistics.models import Fact
    from national_statistics.rollups import mer_rollup_rebuild
    from national_statistics.selectors import StatisticsScope

    if Fact.objects.exists() and not args.wipe:
        sys.exit("This database holds facts; the benchmark would replace them (use --wipe).")

    print(f"loading {args.beneficiaries:,} OVC beneficiaries ...", flush=True)
    total, seconds = load(args.beneficiaries)
    print(f"{total:,} facts loaded in {seconds:.1f} s")
    started = time.perf_counter()
    rows = mer_rollup_rebuild()
    print(f"MER rollup: {rows:,} rows built in {time.perf_counter() - started:.1f} s")
    sapr = (date(2025, 10, 1), date(2026, 3, 1))
    scopes = {
        "national": (StatisticsScope(), 1000),
        "county 042": (StatisticsScope(county="042"), 200),
        "organisation": (StatisticsScope(organisation_id=1), 200),
    }
    for name, (scope, target) in scopes.items():
        serv = timed(lambda scope=scope: ovc_serv(scope, *sapr), args.repeat)
        hivstat = timed(lambda scope=scope: ovc_hivstat(scope, *sapr), args.repeat)
        counted = ovc_serv(scope, *sapr).cell("__total__", "__total__")
        print(
            f"{name:13} OVC_SERV p50 {serv:7.0f} ms   OVC_HIVSTAT p50 {hivstat:7.0f} ms"
            f"   (target < {target} ms; {counted:,} beneficiaries in OVC_SERV)"
        )
    if not args.skip_facts:
        scope = StatisticsScope()
        for label, select in (("OVC_SERV", mer.OVC_SERV_SELECT), ("OVC_HIVSTAT", None)):
            select = select or mer.OVC_HIVSTAT_SELECT
            started = time.perf_counter()
            from_facts = mer._beneficiary_counts(select, scope, *sapr, from_facts=True)
            seconds = time.perf_counter() - started
            rolled = mer._beneficiary_counts(select, scope, *sapr)
            same = "same figures" if sorted(from_facts) == sorted(rolled) else "FIGURES DIFFER"
            print(f"national {label} from every fact (reference): {seconds:.1f} s, {same}")


if __name__ == "__main__":
    main()
