"""Existing organisations get the type code of their kind where the kind has only one (DCS
offices, CCIs); statutory institutions and partners stay blank until an administrator picks
one. CCIs registered before get the CCI registration type."""

from django.db import migrations

ONLY_CODE = {"dcs_county_office": "TNGP", "dcs_sub_county_office": "TNGD", "cci": "TNRC"}


def fill(apps, schema_editor):
    Organisation = apps.get_model("tenants", "Organisation")
    for kind, code in ONLY_CODE.items():
        Organisation.objects.filter(kind=kind, type_code="").update(type_code=code)
    Organisation.objects.filter(kind="cci", registration_type="").exclude(
        registration_number=""
    ).update(registration_type="ICCI")


class Migration(migrations.Migration):
    dependencies = [("tenants", "0005_organisation_codes")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
