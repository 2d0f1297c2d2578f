"""Why the matcher misses: every miss of bench/registry_search.py, classified.

Replays the same attempts on a registry loaded by ``registry_search.py --reuse`` (same
``--persons`` and ``--seed``) and, for every planted duplicate not found first at the
likely level and every brand-new person shown a likely candidate, prints what evidence
the pair carried, which rule decided, which noise the generator applied (the mother's
name as given, typed badly, another woman's, absent) and whether the registry holds
another person with the very same names, sex and year of birth (then no scorer can tell
them apart on that evidence):

    DATABASE_URL=... .venv/bin/python bench/registry_misses.py --persons 1000000
        [--details FILE]   # one JSON line per miss
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import registry_population  # noqa: E402
from bench._setup import setup_django  # noqa: E402
from bench.registry_population import population  # noqa: E402
from bench.registry_search import as_query, attempts, same_names_key  # noqa: E402


def mother_noise(attempt: dict, original: dict | None) -> str:
    """What the attempt's mother's name is, against the true mother and the record."""
    given = attempt["mother_name"]
    if not given:
        return "attempt names no mother"
    if original is None:
        return "attempt names a mother"
    if not original["mother_name"]:
        return "record holds no mother"
    true = set(original["mother"].split())
    typed = set(given.split())
    if typed == true:
        return "same mother"
    if len(typed & true) >= max(1, len(typed) - 1):
        return "mother typed badly"
    return "another woman named"


def rule_of(reasons: list[str]) -> str:
    """The rule that decided the level (the first reason a cap puts first)."""
    first = reasons[0] if reasons else ""
    for marker, label in (
        ("common names, the mother", "common names, mother's too"),
        ("common names", "common names"),
        ("another person has the same names", "ambiguous namesakes"),
        ("a different mother's name", "different mother"),
        ("only some of the names and a date", "names in part and a date"),
        ("twins?", "twin rule"),
        ("a sibling?", "sibling rule"),
        ("different given names", "given names differ"),
    ):
        if first.startswith(marker):
            return label
    return "score"


def evidence_of(reasons: list[str]) -> str:
    """The evidence a candidate carried, in short."""
    parts = []
    for marker, label in (
        ("same identifier", "id"),
        ("same date of birth", "same date"),
        ("same day and month", "year slip"),
        ("date of birth with day and month swapped", "swap"),
        ("same year of birth, estimated", "est. year"),
        ("estimated year of birth one apart", "est. year +-1"),
        ("same year, different day", "same year, other day"),
        ("born one year apart on a different day", "year +-1, other day"),
        ("lives in the same county", "county"),
        ("same mother's name", "mother"),
        ("one of the mother's names", "mother, one name"),
        ("different mother's name", "other mother"),
        ("spelling variants", "variants"),
        ("names in a different order", "reordered"),
        ("a middle name or alias is missing", "name missing"),
    ):
        if any(r.startswith(marker) for r in reasons):
            parts.append(label)
    named = next((r for r in reasons if "names" in r and "(+" in r), "")
    return f"{named.split(' (')[0]}: {', '.join(parts)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--duplicates", type=int, default=1800)
    parser.add_argument("--siblings", type=int, default=1000, help="as the bench's (not replayed)")
    parser.add_argument("--new", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", default="cpims_registry_bench")
    parser.add_argument("--details", help="write one JSON line per miss to this file")
    parser.add_argument(
        "--long-tail", type=float, default=0.0, metavar="SHARE", help="as the bench's"
    )
    args = parser.parse_args()
    setup_django(args.database)
    import random

    from shared_registry import matching, names
    from shared_registry.models import County, Person

    registry_population.TAIL_SHARE = args.long_tail
    rows, sibling_pairs = population(args.persons, random.Random(args.seed))
    if Person.objects.count() != len(rows):
        sys.exit("load the registry first: registry_search.py --persons N (same seed)")
    county_ids = dict(County.objects.values_list("code", "pk"))
    # persons with the very same names, sex and year of birth
    same_evidence = Counter(same_names_key(r) for r in rows)

    def alike(row: dict) -> int:
        return same_evidence[same_names_key(row)]

    details = open(args.details, "w") if args.details else None  # noqa: SIM115
    causes: Counter[tuple[str, str]] = Counter()
    totals: Counter[str] = Counter()
    for group, kind, attempt, target in attempts(
        rows,
        sibling_pairs,
        seed=args.seed,
        duplicates=args.duplicates,
        siblings=args.siblings,
        new=args.new,
    ):
        if group == "sibling":
            continue  # made (they draw mothers' names) so brand-new people are the bench's
        found = matching.match(as_query(attempt, county_ids), limit=5)
        totals[kind] += 1
        if group == "duplicate":
            right = target + 1
            # no scorer can tell the right person from another with the very same names,
            # sex and year when the attempt carries no date (and no mother's name on both)
            both_mothers = bool(attempt["mother_name"] and rows[target]["mother_name"])
            if attempt["date_of_birth"] is None and alike(rows[target]) > 1 and not both_mothers:
                causes[(kind, "(all attempts) another person alike, no mother on both")] += 1
            if found and found[0].person.pk == right and found[0].level == matching.LIKELY:
                continue
            mine = next((c for c in found if c.person.pk == right), None)
            original = rows[target]
            if mine is None:
                cause = "not in the top 5"
            elif mine.level == matching.LIKELY:
                cause = f"another person ranked first ({rule_of(found[0].reasons)})"
            else:
                cause = f"right person capped: {rule_of(mine.reasons)}"
            others = alike(original) - 1
            record = {
                "kind": kind,
                "cause": cause,
                "mother": mother_noise(attempt, original),
                "same names, sex and year elsewhere": others,
                "right": mine and [mine.score, mine.reasons],
                "first": found and [found[0].person.pk == right, found[0].score, found[0].reasons],
                "attempt": attempt,
                "original": original,
            }
            causes[(kind, cause)] += 1
            causes[(kind, record["mother"])] += 1
            causes[(kind, "identical namesake" if others else "no identical namesake")] += 1
        else:
            likely = [c for c in found if c.level == matching.LIKELY]
            if not likely:
                continue
            c = likely[0]
            p = c.person
            registered = {
                "first_name": p.first_name,
                "other_names": p.other_names,
                "surname": p.surname,
                "sex": p.sex,
                "birth_year": p.year_of_birth,
            }
            record = {
                "kind": "brand-new",
                "cause": evidence_of(c.reasons),
                "mother": mother_noise(attempt, None)
                + ("" if p.mother_name else ", record holds no mother"),
                "same names, sex and year": alike(attempt) > 0
                and names.sorted_name(p.first_name, p.other_names, p.surname)
                == names.sorted_name(
                    attempt["first_name"], attempt["other_names"], attempt["surname"]
                ),
                "candidate": [c.score, c.reasons, str(p), p.mother_name],
                "attempt": attempt,
                "registered": registered,
            }
            causes[("brand-new", record["cause"])] += 1
            causes[("brand-new", record["mother"])] += 1
        if details:
            details.write(json.dumps(record, default=str) + "\n")
    if details:
        details.close()
    for kind in list(dict.fromkeys(k for k, _c in causes)):
        print(f"{kind} (n={totals.get(kind, totals['new'] if kind == 'brand-new' else 0)})")
        for (k, cause), n in sorted(causes.items(), key=lambda t: -t[1]):
            if k == kind:
                print(f"  {n:5}  {cause}")


if __name__ == "__main__":
    main()
