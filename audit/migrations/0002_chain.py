"""Append-only audit tables chained by hash in the public schema.

The SQL is frozen here as it was when this migration was written: the live code
(audit/chain.py) may change later without changing what this step did."""

from django.db import migrations

# The link trigger of the first chains: each insert appended its own link under a lock per
# schema (replaced by the sealer's queue in 0005_sealer).
CHAIN_LINK_FUNCTION = """
CREATE OR REPLACE FUNCTION public.cpims_audit_chain_link() RETURNS trigger
LANGUAGE plpgsql SET timezone TO 'UTC' AS $body$
DECLARE
    previous bytea;
    digest bytea;
    chain text := format('%I.audit_chain', TG_TABLE_SCHEMA);
BEGIN
    PERFORM pg_advisory_xact_lock(7007, hashtext(TG_TABLE_SCHEMA));
    EXECUTE format('SELECT link FROM %s ORDER BY id DESC LIMIT 1', chain) INTO previous;
    previous := coalesce(previous, ''::bytea);
    digest := sha256(convert_to(to_jsonb(NEW)::text, 'UTF8'));
    EXECUTE format(
        'INSERT INTO %s (table_name, row_id, row_digest, prev_link, link) '
        'VALUES ($1, $2, $3, $4, $5)', chain)
    USING TG_TABLE_NAME, NEW.id, digest, previous,
        sha256(previous || convert_to(TG_TABLE_NAME || ':' || NEW.id::text || ':', 'UTF8')
               || digest);
    RETURN NULL;
END
$body$;
"""

APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION public.cpims_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    RAISE EXCEPTION 'audit rows are append-only: % on %.% refused',
        TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$body$;
"""

SCHEMA_SQL = [
    "CREATE TABLE audit_chain (id bigserial PRIMARY KEY, table_name text NOT NULL, "
    "row_id bigint NOT NULL, row_digest bytea NOT NULL, prev_link bytea NOT NULL, "
    "link bytea NOT NULL, linked_at timestamptz NOT NULL DEFAULT now())",
    "CREATE INDEX audit_chain_row ON audit_chain (table_name, row_id)",
    "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_chain "
    "FOR EACH ROW EXECUTE FUNCTION public.cpims_audit_append_only()",
    "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_chain "
    "FOR EACH STATEMENT EXECUTE FUNCTION public.cpims_audit_append_only()",
    "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON auditlog_logentry "
    "FOR EACH ROW EXECUTE FUNCTION public.cpims_audit_append_only()",
    "CREATE TRIGGER audit_chain_link AFTER INSERT ON auditlog_logentry "
    "FOR EACH ROW EXECUTE FUNCTION public.cpims_audit_chain_link()",
    "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_platformaccessentry "
    "FOR EACH ROW EXECUTE FUNCTION public.cpims_audit_append_only()",
    "CREATE TRIGGER audit_chain_link AFTER INSERT ON audit_platformaccessentry "
    "FOR EACH ROW EXECUTE FUNCTION public.cpims_audit_chain_link()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [
        migrations.RunSQL(sql)
        for sql in [CHAIN_LINK_FUNCTION, APPEND_ONLY_FUNCTION, *SCHEMA_SQL]
    ]
