"""Public chain: each link names the digest rule it was made under (the links so far: rule 1,
the columns each table had when the chain began), and only the sealer's function may insert
into the chain (audit/chain.py, audit/sealer.py).

The SQL is frozen here as it was when this migration was written."""

from django.db import migrations

APPEND_FUNCTION = """
CREATE OR REPLACE FUNCTION public.cpims_audit_chain_append(
    chain_schema text, rule integer, tables text[], row_ids bigint[], digests bytea[],
    prevs bytea[], links bytea[]) RETURNS void
LANGUAGE plpgsql AS $body$
BEGIN
    PERFORM set_config('cpims.audit_chain_writer', 'sealer', true);
    EXECUTE format(
        'INSERT INTO %I.audit_chain (table_name, row_id, row_digest, prev_link, link, '
        'digest_rule) SELECT t, r, d, p, l, $1 FROM unnest($2, $3, $4, $5, $6) '
        'WITH ORDINALITY AS u(t, r, d, p, l, n) ORDER BY n', chain_schema)
    USING rule, tables, row_ids, digests, prevs, links;
    PERFORM set_config('cpims.audit_chain_writer', '', true);
END
$body$;
"""

GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION public.cpims_audit_chain_guard() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    IF coalesce(current_setting('cpims.audit_chain_writer', true), '') <> 'sealer'
       OR NOT EXISTS (
           SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
           AND classid = 7007 AND objid = hashtext(TG_TABLE_SCHEMA)::oid AND objsubid = 2
           AND granted) THEN
        RAISE EXCEPTION 'the audit chain is written by the sealer only: INSERT on %.% refused',
            TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$body$;
"""

SCHEMA_SQL = [
    "ALTER TABLE audit_chain ADD COLUMN digest_rule smallint NOT NULL DEFAULT 1",
    "CREATE TRIGGER audit_chain_sealer_only BEFORE INSERT ON audit_chain "
    "FOR EACH STATEMENT EXECUTE FUNCTION public.cpims_audit_chain_guard()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_sealer"),
    ]

    operations = [
        migrations.RunSQL(sql) for sql in [APPEND_FUNCTION, GUARD_FUNCTION, *SCHEMA_SQL]
    ]
