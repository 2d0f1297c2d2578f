"""Each workspace: appends become plain inserts queued for the sealer; the chain's links so
far stay as they are and the sealer carries the chain on (audit.chain, audit.sealer)."""

from django.db import migrations

from audit.chain import WORKSPACE_CHAINED, sealer_schema_sql


class Migration(migrations.Migration):
    dependencies = [
        ("audit_workspace", "0002_chain"),
        ("audit", "0005_sealer"),  # the queueing function lives in public
    ]

    operations = [migrations.RunSQL(sql) for sql in sealer_schema_sql(WORKSPACE_CHAINED)]
