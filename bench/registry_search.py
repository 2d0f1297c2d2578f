"""Person registry matching at scale, and the quality an officer meets.

Generates N synthetic persons with Kenyan names of several communities (Kikuyu, Luo,
Luhya, Kalenjin, Kamba, Kisii, Meru, Mijikenda, Somali, Swahili, Maasai, Turkana;
Christian and Muslim first names), about half of them in families: siblings and twins
who share their family names as their tradition gives them (Somali and Swahili children
carry their father's and grandfather's names; others share a surname, sometimes a
middle name), some with a birth certificate number. Then registration attempts:

- planted duplicates of registered persons, by kind of error (misspelled, reordered,
  missing middle name, year slipped by one with the same day and month, day/month
  swapped, year only, moved county with a year slip, moved county with only an
  estimated year, the same identifier with a misspelled name);
- twins and siblings of registered persons (the other child of the family);
- brand-new people (not in the registry).

It prints, by kind: the share of duplicates at the likely level ("probably the same
child", score >= 70) with the right person first, recall@5, the share of twins and
siblings at the likely level, the share of brand-new people shown any likely candidate,
and p50/p95 latency of the full matching call (SQL + scoring). For each duplicate not in
the top 5 it asks the matcher again (untimed, every candidate) to tell why: not a
candidate, outscored by five others, or tied with namesakes scoring the same.

    DATABASE_URL=... .venv/bin/python bench/registry_search.py [--persons 100000]
        [--duplicates 1800] [--new 1000] [--database cpims_registry_bench] [--reuse]
        [--show-misses N] [--coincidence 0.2]

The load counts the name frequencies as ``manage.py registry_name_frequencies`` does
(matching weighs common names with them); ``--coincidence`` tries another
``matching.COINCIDENCE``.

Targets: duplicates at the likely level with the right person first >= 98 %, twins and
siblings at the likely level < 1 %, brand-new people shown a likely candidate < 1 %,
recall@5 >= 98 % for every kind, p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._setup import setup_django  # noqa: E402
from bench.registry_population import (  # noqa: E402
    CODES,
    ERRORS,
    attempt_mother,
    eligible,
    family_rows,
    mother_of,
    person_row,
    plant,
    population,
)


def load(rows: list[dict]) -> None:
    """Bulk-load the rows (pk = index + 1) and their identifiers with COPY."""
    from django.db import connection

    from shared_registry import checkdigit, names
    from shared_registry.models import County

    for code in CODES:
        County.objects.get_or_create(code=code, defaults={"name": f"County {code}"})
    county_ids = dict(County.objects.values_list("code", "pk"))
    now = dt.datetime.now(dt.UTC).isoformat()
    columns = (
        "id",
        "cpims_id",
        "first_name",
        "other_names",
        "surname",
        "also_known_as",
        "mother_name",
        "sex",
        "date_of_birth",
        "birth_year",
        "birth_date_estimated",
        "county_id",
        "search_name",
        "name_keys",
        "created_at",
    )
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE shared_registry_person RESTART IDENTITY CASCADE")
        cursor.execute("DROP INDEX IF EXISTS registry_person_keys_gin, registry_person_trgm")
        with cursor.copy(f"COPY shared_registry_person ({', '.join(columns)}) FROM STDIN") as copy:
            for pk, r in enumerate(rows, start=1):
                parts = (r["first_name"], r["other_names"], r["surname"])
                copy.write_row(
                    (
                        pk,
                        checkdigit.cpims_id_from_number(100_000_000 + pk),
                        r["first_name"],
                        r["other_names"],
                        r["surname"],
                        "",
                        r["mother_name"],
                        r["sex"],
                        r["date_of_birth"],
                        r["birth_year"],
                        r["date_of_birth"] is None,
                        county_ids[r["county"]],
                        names.sorted_name(*parts),
                        names.person_keys(*parts, year=r["birth_year"]),
                        now,
                    )
                )
        identifier_columns = "person_id, identifier_type, value, created_at, verification"
        with cursor.copy(
            f"COPY shared_registry_personidentifier ({identifier_columns}) FROM STDIN"
        ) as copy:
            for pk, r in enumerate(rows, start=1):
                if r["identifier"]:
                    copy.write_row((pk, "ISOV", r["identifier"], now, ""))
        cursor.execute("SET maintenance_work_mem = '1GB'")  # the GIN builds, at ten million
        cursor.execute(
            "CREATE INDEX registry_person_keys_gin ON shared_registry_person USING gin (name_keys)"
        )
        cursor.execute(
            "CREATE INDEX registry_person_trgm ON shared_registry_person "
            "USING gin (search_name gin_trgm_ops)"
        )
        cursor.execute("SELECT setval('shared_registry_person_id_seq', %s)", [len(rows)])
        cursor.execute("ANALYZE shared_registry_person")
        cursor.execute("ANALYZE shared_registry_personidentifier")
    from shared_registry.frequencies import name_frequencies_recount

    name_frequencies_recount()  # as manage.py registry_name_frequencies does


def as_query(row: dict, county_ids: dict[str, int], *, mothers: bool = True):
    """The matching query a registration attempt with these details makes."""
    from shared_registry import matching

    return matching.MatchQuery(
        mother_name=row["mother_name"] if mothers else "",
        first_name=row["first_name"],
        other_names=row["other_names"],
        surname=row["surname"],
        sex=row["sex"],
        date_of_birth=row["date_of_birth"],
        birth_year=row["birth_year"],
        birth_date_estimated=row["date_of_birth"] is None,
        county_id=county_ids[row["county"]],
        identifiers=[("ISOV", row["identifier"])] if row["identifier"] else [],
    )


def attempts(
    rows: list[dict],
    sibling_pairs: list[tuple[int, int, str]],
    *,
    seed: int,
    duplicates: int,
    siblings: int,
    new: int,
) -> Iterator[tuple[str, str, dict, object]]:
    """The registration attempts, in order: (group, kind, attempt, target) with group
    "duplicate" (target: the original's row index), "sibling" (target: the pair's row
    indexes; the attempt is the first child) or "brand-new" (kind "new", no target).
    Every run with the same seed makes the same attempts."""
    quality_rng = random.Random(seed + 1)
    mother_rng = random.Random(seed + 3)  # its own stream: the attempts stay as they were
    for k in range(duplicates):
        error = ERRORS[k % len(ERRORS)]
        index = quality_rng.randrange(len(rows))
        while not eligible(rows[index], error):
            index = quality_rng.randrange(len(rows))
        attempt = plant(quality_rng, rows[index], error)
        attempt["mother_name"] = attempt_mother(mother_rng, rows[index])
        yield "duplicate", error, attempt, index
    for a, b, kind in quality_rng.sample(sibling_pairs, min(siblings, len(sibling_pairs))):
        yield (
            "sibling",
            kind,
            dict(rows[a], mother_name=attempt_mother(mother_rng, rows[a])),
            (a, b),
        )
    new_rng = random.Random(seed + 2)
    for _k in range(new):
        row = (
            person_row(new_rng) if new_rng.random() < 0.6 else new_rng.choice(family_rows(new_rng))
        )
        row["identifier"] = ""
        row["mother"] = mother_of(mother_rng, row["community"])
        row["mother_name"] = attempt_mother(mother_rng, row)
        yield "brand-new", "new", row, None


def same_names_key(row: dict) -> tuple[str, str, int]:
    """Names (in any order, as the matcher tokenises them), sex and year of birth: what a
    moved child with only an estimated year is known by."""
    from shared_registry.names import sorted_name

    return (
        sorted_name(row["first_name"], row["other_names"], row["surname"]),
        row["sex"],
        row["birth_year"],
    )


def print_indistinguishable(rows: list[dict], identity: list[tuple[str, bool, tuple]]) -> None:
    """The ceiling the population sets: planted duplicates whose original shares its
    names, sex and year of birth with another registered person (nothing but a date, the
    county, the mother's name or an identifier can then tell them apart), by kind, and
    the share right first among the others."""
    wanted = {key for _kind, _hit, key in identity}
    carriers = Counter(key for row in rows if (key := same_names_key(row)) in wanted)
    flagged = [(kind, hit, carriers[key] > 1) for kind, hit, key in identity]
    print("  the original shares names, sex and year with another registered person:")
    print(f"    {'kind':<18} {'shares':>8} {'right first among the others':>30}")
    for label in (*ERRORS, "all"):
        mine = [(hit, shared) for kind, hit, shared in flagged if label in (kind, "all")]
        others = [hit for hit, shared in mine if not shared]
        print(f"    {label:<18} {share([s for _h, s in mine]):>8} {share(others):>30}")


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else 0.0


def share(hits: list[bool]) -> str:
    return f"{100 * sum(hits) / len(hits):5.1f} %" if hits else "    - "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--duplicates", type=int, default=1800, help="planted, all kinds")
    parser.add_argument("--siblings", type=int, default=1000, help="sibling pairs queried")
    parser.add_argument("--new", type=int, default=1000, help="brand-new people queried")
    parser.add_argument("--database", default="cpims_registry_bench")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="keep the loaded registry")
    parser.add_argument("--show-misses", type=int, default=0, help="print N misses per kind")
    parser.add_argument("--coincidence", type=float, help="override matching.COINCIDENCE")
    parser.add_argument(
        "--long-tail",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="draw this share of names from a tail of rarer names (an assumption; see "
        "registry_population.TAIL_SHARE); 0, the default, is the lists alone",
    )
    parser.add_argument(
        "--ignore-mothers",
        action="store_true",
        help="attempts give no mother's name (the matcher as it was before it used them)",
    )
    args = parser.parse_args()
    setup_django(args.database)

    from bench import registry_population
    from shared_registry import matching
    from shared_registry.models import County, NameFrequency, Person

    registry_population.TAIL_SHARE = args.long_tail
    if args.coincidence is not None:
        matching.COINCIDENCE = args.coincidence

    started = time.perf_counter()
    load_at_start = os.getloadavg()[0]
    rng = random.Random(args.seed)
    rows, sibling_pairs = population(args.persons, rng)
    if not (args.reuse and Person.objects.count() == len(rows)):
        load(rows)
    elif not NameFrequency.objects.exists():
        from shared_registry.frequencies import name_frequencies_recount

        name_frequencies_recount()
    county_ids = dict(County.objects.values_list("code", "pk"))
    print(
        f"registry: {len(rows):,} persons, {len(sibling_pairs):,} sibling pairs "
        f"({sum('twins' in k for _a, _b, k in sibling_pairs):,} twins), "
        f"{sum(bool(r['identifier']) for r in rows):,} birth certificates, "
        f"{sum(bool(r['mother_name']) for r in rows):,} mothers' names "
        f"(ready in {time.perf_counter() - started:.0f} s)"
    )
    print(
        f"names: {args.long_tail:.0%} drawn from the tail of rarer names"
        if args.long_tail
        else "names: the lists alone (no tail of rarer names)"
    )

    latency: dict[str, list[float]] = {}

    def timed(group: str, row: dict, exclude: int | None = None) -> list:
        start = time.perf_counter()
        found = matching.match(
            as_query(row, county_ids, mothers=not args.ignore_mothers),
            limit=5,
            exclude_ids={exclude} if exclude else None,
        )
        latency.setdefault(group, []).append((time.perf_counter() - start) * 1000)
        return found

    def top5_miss(row: dict, right: int) -> str:
        """Why the right person is not in the top 5 (not timed): "pool" (not among the
        candidates at all, or under 30), "outscored" (five others score higher) or
        "tied" (fewer than five higher; the others scoring the same came first)."""
        found = matching.match(
            as_query(row, county_ids, mothers=not args.ignore_mothers), limit=10_000, threshold=0
        )
        scores = {c.person.pk: c.score for c in found}
        if right not in scores or scores[right] < matching.SHOW_THRESHOLD:
            return "pool"
        higher = sum(s > scores[right] for pk, s in scores.items() if pk != right)
        if args.show_misses:
            same = [c for c in found if c.score == scores[right]]
            print(f"top-5 miss: {row}")
            for c in same[:6]:
                print(
                    f"    {c.person.pk == right} {c.person} {c.person.year_of_birth} "
                    f"{c.person.county_id} {c.person.mother_name!r} {c.score}/{c.evidence} "
                    f"{c.reasons}"
                )
        return "outscored" if higher >= 5 else "tied"

    top5_misses: dict[str, Counter[str]] = {}
    for k in range(20):  # warm-up
        timed("warm-up", rows[k])
    latency.pop("warm-up")

    # planted duplicates: the right person first at the likely level, and in the top 5
    per_kind: dict[str, tuple[list[bool], list[bool]]] = {}
    # (kind, right first, the original's names+sex+year) of every planted duplicate
    identity: list[tuple[str, bool, tuple]] = []
    by_mother: dict[bool, list[bool]] = {}  # right first, by: both records name the mother
    sibling_kinds: dict[str, list[bool]] = {}
    new_likely: list[bool] = []
    new_similar: list[bool] = []
    for group, kind, attempt, target in attempts(
        rows,
        sibling_pairs,
        seed=args.seed,
        duplicates=args.duplicates,
        siblings=args.siblings,
        new=args.new,
    ):
        if group == "duplicate":
            index = target
            found = timed("duplicate", attempt)
            ids = [c.person.pk for c in found]
            likely_first = bool(found) and ids[0] == index + 1 and found[0].level == matching.LIKELY
            likely, top5 = per_kind.setdefault(kind, ([], []))
            if not likely_first and len(likely) - sum(likely) < args.show_misses:
                print(f"miss {kind}: {rows[index]}")
                for c in found[:3]:
                    print(f"    {c.person.pk == index + 1} {c.person} {c.score} {c.reasons}")
            likely.append(likely_first)
            identity.append((kind, likely_first, same_names_key(rows[index])))
            top5.append(index + 1 in ids)
            if index + 1 not in ids:
                why = top5_miss(attempt, index + 1)
                top5_misses.setdefault(kind, Counter())[why] += 1
            both = bool(attempt["mother_name"] and rows[index]["mother_name"])
            by_mother.setdefault(both and not args.ignore_mothers, []).append(likely_first)
        elif group == "sibling":
            # twins and siblings: the other child of the family at the likely level
            a, b = target
            found = timed("sibling", attempt, exclude=a + 1)
            sibling_kinds.setdefault(kind, []).append(
                any(c.person.pk == b + 1 and c.level == matching.LIKELY for c in found)
            )
        else:
            # brand-new people: any "probably the same child" shown at all
            found = timed("brand-new", attempt)
            new_likely.append(any(c.level == matching.LIKELY for c in found))
            if new_likely[-1] and sum(new_likely) <= args.show_misses:
                print(f"brand-new at likely: {attempt}")
                for c in found[:2]:
                    print(f"    {c.person} {c.score} {c.reasons}")
            new_similar.append(bool(found))

    print()
    print(
        f"names and an estimated year are likely while namesakes explain them with a chance "
        f"under {matching.COINCIDENCE}; load average now {os.getloadavg()[0]:.1f} "
        f"(at start {load_at_start:.1f}) on {os.cpu_count()} cores; attempts "
        + ("give no mother's name" if args.ignore_mothers else "name the mother as typed")
    )
    print("Planted duplicates (query: the second registration attempt)")
    print(f"{'kind':<18} {'n':>5} {'likely, right first':>20} {'recall@5':>9}")
    all_likely: list[bool] = []
    all_top5: list[bool] = []
    for error in ERRORS:
        likely, top5 = per_kind.get(error, ([], []))
        all_likely += likely
        all_top5 += top5
        print(f"{error:<18} {len(likely):>5} {share(likely):>20} {share(top5):>9}")
    print(f"{'all':<18} {len(all_likely):>5} {share(all_likely):>20} {share(all_top5):>9}")
    if top5_misses:
        print("  not in the top 5, why (pool: not a candidate; outscored: five others score")
        print("  higher; tied: others with the same score came first):")
        for error in ERRORS:
            if error in top5_misses:
                why = top5_misses[error]
                print(f"    {error:<18} " + ", ".join(f"{k} {why[k]}" for k in sorted(why)))
    for both, label in ((True, "mother named on both"), (False, "mother not on both")):
        hits = by_mother.get(both, [])
        print(f"  {label:<24} {len(hits):>5} {share(hits):>12}")
    print_indistinguishable(rows, identity)
    print()
    print("Twins and siblings (query: one child; the other is registered)")
    print(f"{'kind':<30} {'n':>5} {'at the likely level':>20}")
    all_siblings: list[bool] = []
    for kind in sorted(sibling_kinds):
        all_siblings += sibling_kinds[kind]
        print(f"{kind:<30} {len(sibling_kinds[kind]):>5} {share(sibling_kinds[kind]):>20}")
    print(f"{'all':<30} {len(all_siblings):>5} {share(all_siblings):>20}")
    print()
    print("Brand-new people (not in the registry)")
    print(f"  shown any 'probably the same child': {share(new_likely)} (n={len(new_likely)})")
    print(f"  shown similar names (folded away):   {share(new_similar)}")
    print()
    print(f"{'latency':<12} {'n':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for group, values in latency.items():
        print(f"{group:<12} {len(values):>5} {pct(values, 0.5):>8.1f} {pct(values, 0.95):>8.1f}")


if __name__ == "__main__":
    main()
