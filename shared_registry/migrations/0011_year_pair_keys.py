"""Every pair of names is now also indexed with the year of birth ("a|b@yYEAR",
names.year_pair_keys). Existing persons get the keys in one UPDATE in the database: their
pairs are already in name_keys (the keys with "|" and no "@"; the typo keys "a|b@YEAR"
carry an "@"), so no name is read back into Python: 108 s at a million persons (a Python
batch rewrite would take hours at ten million). The same keys, in the same order, as names.person_keys gives
(tests/shared_registry/test_narrow_lookup.py). Frozen as written."""

from django.db import migrations

YEAR_PAIR_KEYS = """
UPDATE shared_registry_person AS p
SET name_keys = p.name_keys || ARRAY(
    SELECT key || '@y' || COALESCE(EXTRACT(YEAR FROM p.date_of_birth)::int, p.birth_year)
    FROM unnest(p.name_keys) WITH ORDINALITY AS k(key, n)
    WHERE strpos(key, '|') > 0 AND strpos(key, '@') = 0
    ORDER BY n
)::varchar(80)[]
WHERE COALESCE(EXTRACT(YEAR FROM p.date_of_birth)::int, p.birth_year) IS NOT NULL
  AND EXISTS (
    SELECT 1 FROM unnest(p.name_keys) AS k(key) WHERE strpos(key, '|') > 0 AND strpos(key, '@') = 0
  )
  AND NOT EXISTS (SELECT 1 FROM unnest(p.name_keys) AS k(key) WHERE strpos(key, '@y') > 0)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("shared_registry", "0010_person_mother_name"),
    ]

    operations = [
        migrations.RunSQL(YEAR_PAIR_KEYS, migrations.RunSQL.noop),
    ]
