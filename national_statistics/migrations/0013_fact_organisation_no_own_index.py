import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The organisation's own index on facts and on their sources' marks: every other index
    of both tables leads with the organisation, and the drain keeps each index per fact.
    Django leaves a foreign key's index in place when db_index is turned off without a
    constraint, so the two are dropped by name (Django's names for them)."""

    dependencies = [
        ('national_statistics', '0012_child_area_counts_county_counts'),
        ('tenants', '0007_staff_forms_need_approval'),
    ]

    operations = [
        migrations.AlterField(
            model_name='fact',
            name='organisation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tenants.organisation'),
        ),
        migrations.AlterField(
            model_name='factsource',
            name='organisation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tenants.organisation'),
        ),
        migrations.RunSQL(
            [
                "DROP INDEX IF EXISTS national_statistics_fact_organisation_id_3f8dffac",
                "DROP INDEX IF EXISTS national_statistics_factsource_organisation_id_d03d0529",
            ],
            migrations.RunSQL.noop,
        ),
    ]
