"""Each workspace: each link names the digest rule it was made under (the links so far: rule
1), and only the sealer's function may insert into the chain (audit/chain.py).

The SQL is frozen here as it was when this migration was written."""

from django.db import migrations

SCHEMA_SQL = [
    "ALTER TABLE audit_chain ADD COLUMN digest_rule smallint NOT NULL DEFAULT 1",
    "CREATE TRIGGER audit_chain_sealer_only BEFORE INSERT ON audit_chain "
    "FOR EACH STATEMENT EXECUTE FUNCTION public.cpims_audit_chain_guard()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("audit_workspace", "0003_sealer"),
        ("audit", "0006_chain_digest_rules_and_guard"),  # the functions live in public
    ]

    operations = [migrations.RunSQL(sql) for sql in SCHEMA_SQL]
