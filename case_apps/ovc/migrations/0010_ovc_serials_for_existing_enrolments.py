"""Existing enrolments get their partner's OVC serial: children numbered from 00001 in the
order they were first registered (registration date, then id); a child enrolled again keeps
the serial of their first enrolment. The LIP code is the workspace slug upper-cased."""

from django.db import migrations

COUNTER_NAME = "ovc_child"


def _lip_code(connection) -> str:
    schema = getattr(connection, "schema_name", "") or ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT slug FROM public.tenants_organisation WHERE schema_name = %s", [schema]
        )
        row = cursor.fetchone()
    return (row[0] if row else schema).upper()


def number_existing(apps, schema_editor):
    Enrolment = apps.get_model("ovc", "Enrolment")
    ChildSerial = apps.get_model("ovc", "ChildSerial")
    SerialCounter = apps.get_model("ovc", "SerialCounter")
    counter, _ = SerialCounter.objects.get_or_create(name=COUNTER_NAME)
    enrolments = list(Enrolment.objects.order_by("registration_date", "id"))
    if not enrolments:
        return
    lip_code = _lip_code(schema_editor.connection)
    serials: dict[int, str] = {}
    for enrolment in enrolments:
        if enrolment.child_id not in serials:
            counter.last += 1
            serial = f"{lip_code}/{counter.last:05d}"
            ChildSerial.objects.create(
                child_id=enrolment.child_id, number=counter.last, serial=serial
            )
            serials[enrolment.child_id] = serial
        enrolment.serial = serials[enrolment.child_id]
        enrolment.save(update_fields=["serial"])
    counter.save(update_fields=["last"])


class Migration(migrations.Migration):
    dependencies = [("ovc", "0009_ovc_serials_and_caregivers")]

    operations = [migrations.RunPython(number_existing, migrations.RunPython.noop)]
