"""Name frequencies: how many registered persons carry each name key and pair of keys.

Matching (``matching.py``) reads them to weigh names by how common they are: when many
persons carry the names two records share, names and an estimated year of birth do not
tell them apart. The services that change a person's keys (registration, correction,
merge and undo) adjust the counts; ``name_frequencies_recount`` rebuilds them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import connection

from shared_registry.models import NameFrequency


def counted_keys(keys: Iterable[str]) -> list[str]:
    """The keys that are counted: names and pairs of names (not the year-typo keys)."""
    return [k for k in keys if "@" not in k]


def name_frequency_adjust(*, removed: Iterable[str] = (), added: Iterable[str] = ()) -> None:
    """Count a person's keys in (``added``) or out (``removed``), in one statement."""
    delta: Counter[str] = Counter(counted_keys(added))
    delta.subtract(counted_keys(removed))
    changes = [(key, n) for key, n in sorted(delta.items()) if n]
    if not changes:
        return
    keys, counts = [k for k, _n in changes], [n for _k, n in changes]
    table = NameFrequency._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} AS f (key, persons) "  # noqa: S608 (table from the model)
            "SELECT k, GREATEST(n, 0) FROM unnest(%s::varchar[], %s::int[]) AS t(k, n) "
            "ON CONFLICT (key) DO UPDATE SET persons = GREATEST(f.persons + "
            "(SELECT n FROM unnest(%s::varchar[], %s::int[]) AS u(k, n) "
            "WHERE u.k = EXCLUDED.key), 0)",
            [keys, counts, keys, counts],
        )
        removed_keys = [k for k, n in changes if n < 0]
        if removed_keys:  # a name nobody carries any more is not counted (as in a recount)
            cursor.execute(
                f"DELETE FROM {table} WHERE key = ANY(%s::varchar[]) AND persons <= 0",  # noqa: S608
                [removed_keys],
            )


def name_frequencies_recount() -> int:
    """Rebuild every count from the registry; returns how many keys are counted."""
    table = NameFrequency._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} (key, persons) "  # noqa: S608
            "SELECT k, count(*) FROM public.shared_registry_person, unnest(name_keys) AS k "
            "WHERE merged_into_id IS NULL AND position('@' in k) = 0 GROUP BY k"
        )
        return cursor.rowcount


def name_frequencies(keys: Iterable[str]) -> dict[str, int]:
    """The counts of these keys (a key nobody carries is absent)."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    return dict(NameFrequency.objects.filter(key__in=wanted).values_list("key", "persons"))


def persons_registered() -> int:
    """About how many persons the registry holds (the planner's estimate; counted when the
    table was never analysed): the denominator of how common a name is."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class "
            "WHERE oid = 'public.shared_registry_person'::regclass"
        )
        estimate = cursor.fetchone()[0]
        if estimate is not None and estimate >= 10_000:
            return int(estimate)
        cursor.execute("SELECT count(*) FROM public.shared_registry_person")
        return int(cursor.fetchone()[0])
