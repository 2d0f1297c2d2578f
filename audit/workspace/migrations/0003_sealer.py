"""Each workspace: appends become plain inserts queued for the sealer; the chain's links so
far stay as they are and the sealer (audit/sealer.py) carries the chain on.

The SQL is frozen here as it was when this migration was written."""

from django.db import migrations

SCHEMA_SQL = [
    "CREATE TABLE audit_pending (id bigserial PRIMARY KEY, table_name text NOT NULL, "
    "row_id bigint NOT NULL, queued_at timestamptz NOT NULL DEFAULT now())",
    "DROP TRIGGER audit_chain_link ON auditlog_logentry",
    "CREATE TRIGGER audit_chain_queue AFTER INSERT ON auditlog_logentry "
    "FOR EACH ROW EXECUTE FUNCTION public.cpims_audit_queue()",
    "DROP TRIGGER audit_chain_link ON audit_workspace_accessentry",
    "CREATE TRIGGER audit_chain_queue AFTER INSERT ON audit_workspace_accessentry "
    "FOR EACH ROW EXECUTE FUNCTION public.cpims_audit_queue()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("audit_workspace", "0002_chain"),
        ("audit", "0005_sealer"),  # the queueing function lives in public
    ]

    operations = [migrations.RunSQL(sql) for sql in SCHEMA_SQL]
