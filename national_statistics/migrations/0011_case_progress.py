from django.db import migrations, models


def rebuild_case_progress(apps, schema_editor):
    """Cases drained before CaseProgress existed are counted in it (public schema only)."""
    if getattr(schema_editor.connection, "schema_name", "public") != "public":
        return
    from national_statistics.rollups import case_progress_rebuild

    case_progress_rebuild()


class Migration(migrations.Migration):

    dependencies = [
        ('national_statistics', '0010_child_areas'),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseProgress',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('case_ref', models.CharField(max_length=40)),
                ('opened_month', models.DateField()),
                ('county', models.CharField(blank=True, max_length=8)),
                ('sub_county', models.CharField(blank=True, max_length=8)),
                ('moved_month', models.DateField()),
                ('n', models.IntegerField()),
                ('organisation', models.ForeignKey(db_constraint=False, db_index=False, on_delete=models.deletion.DO_NOTHING, related_name='+', to='tenants.organisation')),
            ],
        ),
        migrations.CreateModel(
            name='PendingCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('opened_month', models.DateField()),
                ('moved_month', models.DateField()),
                ('county', models.CharField(blank=True, max_length=8)),
                ('sub_county', models.CharField(blank=True, max_length=8)),
                ('n', models.BigIntegerField(default=0)),
                ('organisation', models.ForeignKey(db_constraint=False, db_index=False, on_delete=models.deletion.DO_NOTHING, related_name='+', to='tenants.organisation')),
            ],
        ),
        migrations.AddConstraint(
            model_name='caseprogress',
            constraint=models.UniqueConstraint(fields=('organisation', 'case_ref', 'opened_month', 'county', 'sub_county'), name='one_case_progress_row'),
        ),
        migrations.AddConstraint(
            model_name='pendingcount',
            constraint=models.UniqueConstraint(fields=('opened_month', 'moved_month', 'organisation', 'county', 'sub_county'), include=('n',), name='one_pending_count_cell'),
        ),
        migrations.RunPython(rebuild_case_progress, migrations.RunPython.noop),
    ]
