"""Appends become plain inserts queued for the sealer; the public chain's links so far stay
as they are and the sealer (audit/sealer.py) carries the chain on.

The SQL is frozen here as it was when this migration was written."""

from django.db import migrations

QUEUE_FUNCTION = """
CREATE OR REPLACE FUNCTION public.cpims_audit_queue() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    EXECUTE format('INSERT INTO %I.audit_pending (table_name, row_id) VALUES ($1, $2)',
                   TG_TABLE_SCHEMA)
    USING TG_TABLE_NAME, NEW.id;
    RETURN NULL;
END
$body$;
"""

SCHEMA_SQL = [
    "CREATE TABLE audit_pending (id bigserial PRIMARY KEY, table_name text NOT NULL, "
    "row_id bigint NOT NULL, queued_at timestamptz NOT NULL DEFAULT now())",
    "DROP TRIGGER audit_chain_link ON auditlog_logentry",
    "CREATE TRIGGER audit_chain_queue AFTER INSERT ON auditlog_logentry "
    "FOR EACH ROW EXECUTE FUNCTION public.cpims_audit_queue()",
    "DROP TRIGGER audit_chain_link ON audit_platformaccessentry",
    "CREATE TRIGGER audit_chain_queue AFTER INSERT ON audit_platformaccessentry "
    "FOR EACH ROW EXECUTE FUNCTION public.cpims_audit_queue()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_retention_rules_and_disposal_runs"),
    ]

    operations = [migrations.RunSQL(sql) for sql in [QUEUE_FUNCTION, *SCHEMA_SQL]]
