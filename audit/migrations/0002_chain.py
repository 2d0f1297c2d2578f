"""Append-only audit tables chained by hash in the public schema (audit.chain)."""

from django.db import migrations

from audit.chain import FUNCTIONS_SQL, PUBLIC_CHAINED, schema_sql


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [
        migrations.RunSQL(sql) for sql in FUNCTIONS_SQL + schema_sql(PUBLIC_CHAINED)
    ]
