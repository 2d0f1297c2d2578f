"""The home page's case tiles from kept counts (models_tiles.py): the table, its three
statement triggers (the function lives in public: cpims 0003) and the counts of the cases
already there.

The SQL is frozen here as it was when this migration was written."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0014_case_tiles_index'),
        ('cpims', '0003_case_tiles_function'),  # the keeping function lives in public
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseTileCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stage', models.CharField(max_length=16)),
                ('status', models.CharField(max_length=20)),
                ('risk_level', models.CharField(max_length=16)),
                ('n', models.IntegerField(default=0)),
                ('assigned_officer', models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('created_by', models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('assigned_officer', 'created_by', 'stage', 'status', 'risk_level'), name='case_tile_count_key', nulls_distinct=False)],
            },
        ),
        *(
            migrations.RunSQL(
                f"CREATE TRIGGER case_tiles_{event.lower()} AFTER {event} ON cases_caserecord "
                f"REFERENCING {rows} FOR EACH STATEMENT "
                "EXECUTE FUNCTION public.cpims_case_tiles_keep()",
                f"DROP TRIGGER case_tiles_{event.lower()} ON cases_caserecord",
            )
            for event, rows in [
                ("INSERT", "NEW TABLE AS new_rows"),
                ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                ("DELETE", "OLD TABLE AS old_rows"),
            ]
        ),
            # after the triggers: their lock holds writers back until the counts are in
        migrations.RunSQL(
            "INSERT INTO cases_casetilecount "
            "(assigned_officer_id, created_by_id, stage, status, risk_level, n) "
            "SELECT assigned_officer_id, created_by_id, stage, status, risk_level, count(*) "
            "FROM cases_caserecord GROUP BY 1, 2, 3, 4, 5",
            migrations.RunSQL.noop,
        ),
    ]
