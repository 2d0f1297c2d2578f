from django.db import migrations, models


def fill_counts(apps, schema_editor):
    """Count what was drained before these rollups existed (public schema only)."""
    if getattr(schema_editor.connection, "schema_name", "public") != "public":
        return
    from national_statistics.children import child_area_counts_rebuild
    from national_statistics.county_counts import county_counts_rebuild

    with schema_editor.connection.cursor() as cursor:
        child_area_counts_rebuild(cursor)
    county_counts_rebuild()


class Migration(migrations.Migration):
    """The children tile reads ChildAreaCount (ChildArea's rows counted by mask); ChildArea,
    now read by the drain alone a child at a time, loses its unused id and both its indexes
    for one primary key led by the child; the national and county dashboards' series read
    CountyMonthCount."""

    dependencies = [
        ('national_statistics', '0011_case_progress'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChildAreaCount',
            fields=[
                ('pk', models.CompositePrimaryKey('area', 'span', 'months', blank=True, editable=False, primary_key=True, serialize=False)),
                ('area', models.CharField(blank=True, max_length=8)),
                ('span', models.IntegerField()),
                ('months', models.BigIntegerField()),
                ('n', models.BigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='CountyMonthCount',
            fields=[
                ('pk', models.CompositePrimaryKey('event_kind', 'month', 'county', 'category', 'sex', 'age_band', blank=True, editable=False, primary_key=True, serialize=False)),
                ('month', models.DateField()),
                ('event_kind', models.CharField(max_length=64)),
                ('category', models.CharField(blank=True, max_length=16)),
                ('sex', models.CharField(blank=True, max_length=8)),
                ('age_band', models.CharField(blank=True, max_length=16)),
                ('county', models.CharField(blank=True, max_length=8)),
                ('n', models.BigIntegerField(default=0)),
            ],
        ),
        migrations.AddIndex(
            model_name='countymonthcount',
            index=models.Index(fields=['county', 'event_kind', 'month'], name='county_month_idx'),
        ),
        # Django does not migrate a table to a composite primary key: done by hand.
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    [
                        # a unique constraint with INCLUDE is made as a unique index
                        "ALTER TABLE national_statistics_childarea "
                        "DROP CONSTRAINT IF EXISTS one_child_area_span",
                        "DROP INDEX IF EXISTS one_child_area_span",
                        "DROP INDEX childarea_person_idx",
                        "ALTER TABLE national_statistics_childarea DROP COLUMN id",
                        "ALTER TABLE national_statistics_childarea ADD PRIMARY KEY (person_key, area, span)",
                    ],
                    migrations.RunSQL.noop,
                ),
            ],
            state_operations=[
                migrations.RemoveConstraint(
                    model_name='childarea',
                    name='one_child_area_span',
                ),
                migrations.RemoveIndex(
                    model_name='childarea',
                    name='childarea_person_idx',
                ),
                migrations.RemoveField(
                    model_name='childarea',
                    name='id',
                ),
                migrations.AddField(
                    model_name='childarea',
                    name='pk',
                    field=models.CompositePrimaryKey('person_key', 'area', 'span', blank=True, editable=False, primary_key=True, serialize=False),
                ),
            ],
        ),
        migrations.RunPython(fill_counts, migrations.RunPython.noop),
    ]
