"""Appends become plain inserts queued for the sealer; the public chain's links so far stay
as they are and the sealer carries the chain on (audit.chain, audit.sealer)."""

from django.db import migrations

from audit.chain import PUBLIC_CHAINED, SEALER_FUNCTIONS_SQL, sealer_schema_sql


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_retention_rules_and_disposal_runs"),
    ]

    operations = [
        migrations.RunSQL(sql) for sql in SEALER_FUNCTIONS_SQL + sealer_schema_sql(PUBLIC_CHAINED)
    ]
