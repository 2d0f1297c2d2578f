"""Case plan lines and services delivered hold codes of the national lists; what was typed
before stays readable in the ``*_text`` fields (renamed, never dropped)."""

import django.contrib.postgres.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ovc", "0006_merge_client_uuid_and_household_scope")]

    operations = [
        migrations.RenameField("servicerecord", "service", "service_text"),
        migrations.AlterField(
            model_name="servicerecord",
            name="service_text",
            field=models.CharField(blank=True, max_length=200, verbose_name="service (as typed)"),
        ),
        migrations.AddField(
            model_name="servicerecord",
            name="service",
            field=models.CharField(blank=True, default="", max_length=16, verbose_name="service"),
            preserve_default=False,
        ),
        migrations.RenameField("caseplanitem", "need", "need_text"),
        migrations.RenameField("caseplanitem", "goal", "goal_text"),
        migrations.RenameField("caseplanitem", "services", "services_text"),
        migrations.AlterField(
            model_name="caseplanitem",
            name="need_text",
            field=models.CharField(
                blank=True, max_length=300, verbose_name="need / gap (as typed)"
            ),
        ),
        migrations.AlterField(
            model_name="caseplanitem",
            name="goal_text",
            field=models.CharField(blank=True, max_length=300, verbose_name="goal (as typed)"),
        ),
        migrations.AlterField(
            model_name="caseplanitem",
            name="services_text",
            field=models.CharField(blank=True, max_length=300, verbose_name="services (as typed)"),
        ),
        migrations.AddField(
            model_name="caseplanitem",
            name="goal",
            field=models.CharField(blank=True, default="", max_length=16, verbose_name="goal"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="caseplanitem",
            name="gap",
            field=models.CharField(
                blank=True, default="", max_length=16, verbose_name="need / gap"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="caseplanitem",
            name="priority",
            field=models.CharField(blank=True, default="", max_length=16, verbose_name="priority"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="caseplanitem",
            name="services",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=16),
                blank=True,
                default=list,
                size=None,
                verbose_name="services",
            ),
        ),
        migrations.AlterField(
            model_name="caseplanitem",
            name="due_date",
            field=models.DateField(blank=True, null=True, verbose_name="target completion date"),
        ),
    ]
