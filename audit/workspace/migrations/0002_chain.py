"""Each workspace: auditlog's references into public without constraints (cpims.placement
BOTH_REFERENCES_INTO_PUBLIC), and append-only audit tables chained by hash.

The SQL is frozen here as it was when this migration was written: the live code
(audit/chain.py) may change later without changing what this step did."""

from django.db import migrations

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
    "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_workspace_accessentry "
    "FOR EACH ROW EXECUTE FUNCTION public.cpims_audit_append_only()",
    "CREATE TRIGGER audit_chain_link AFTER INSERT ON audit_workspace_accessentry "
    "FOR EACH ROW EXECUTE FUNCTION public.cpims_audit_chain_link()",
]


def drop_constraints_into_public(apps, schema_editor):
    """The workspace copy of auditlog's log points at public users and content types: keep
    the ids, drop the database constraints (no cascade across schemas)."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT con.conname FROM pg_constraint con "
            "JOIN pg_class rel ON rel.oid = con.conrelid "
            "JOIN pg_namespace ns ON ns.oid = rel.relnamespace "
            "JOIN pg_class ref ON ref.oid = con.confrelid "
            "JOIN pg_namespace refns ON refns.oid = ref.relnamespace "
            "WHERE con.contype = 'f' AND ns.nspname = current_schema() "
            "AND rel.relname = 'auditlog_logentry' AND refns.nspname <> current_schema() "
            "ORDER BY con.conname"
        )
        names = [row[0] for row in cursor.fetchall()]
    for name in names:
        schema_editor.execute(
            f"ALTER TABLE auditlog_logentry DROP CONSTRAINT {schema_editor.quote_name(name)}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit_workspace", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
        ("audit", "0002_chain"),  # the trigger functions live in public
    ]

    operations = [
        migrations.RunPython(
            drop_constraints_into_public, migrations.RunPython.noop,
            hints={"target_db": "default"},
        ),
        *(migrations.RunSQL(sql) for sql in SCHEMA_SQL),
    ]
