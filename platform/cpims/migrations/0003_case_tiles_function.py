"""The function that keeps each workspace's case tile counts (``cases_casetilecount``) as its
cases change: a statement trigger on ``cases_caserecord`` adds the statement's net change per
(assigned officer, recorded by, stage, status, risk level), in key order (two statements
touching the same keys lock them in the same order). An update that moves no case between
keys changes nothing and locks nothing.

The SQL is frozen here as it was when this migration was written."""

from django.db import migrations

KEY = "assigned_officer_id, created_by_id, stage, status, risk_level"

TILES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION public.cpims_case_tiles_keep() RETURNS trigger
LANGUAGE plpgsql AS $body$
DECLARE
    changes text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        changes := 'SELECT {KEY}, 1 AS d FROM new_rows';
    ELSIF TG_OP = 'DELETE' THEN
        changes := 'SELECT {KEY}, -1 AS d FROM old_rows';
    ELSE
        changes := 'SELECT {KEY}, -1 AS d FROM old_rows '
                   'UNION ALL SELECT {KEY}, 1 AS d FROM new_rows';
    END IF;
    EXECUTE format(
        'INSERT INTO %I.cases_casetilecount AS c ({KEY}, n) '
        'SELECT {KEY}, sum(d) FROM (' || changes || ') AS x '
        'GROUP BY {KEY} HAVING sum(d) <> 0 ORDER BY {KEY} '
        'ON CONFLICT ({KEY}) DO UPDATE SET n = c.n + EXCLUDED.n',
        TG_TABLE_SCHEMA);
    RETURN NULL;
END
$body$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cpims", "0002_idempotent_request"),
    ]

    operations = [
        migrations.RunSQL(
            TILES_FUNCTION, "DROP FUNCTION IF EXISTS public.cpims_case_tiles_keep()"
        )
    ]
