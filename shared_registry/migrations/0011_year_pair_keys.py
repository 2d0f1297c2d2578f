from django.db import migrations


def refresh_name_keys(apps, schema_editor):
    """Every pair of names is now also indexed with the year of birth ("a|b@yYEAR",
    names.year_pair_keys): recompute every person's keys."""
    from shared_registry import names

    Person = apps.get_model("shared_registry", "Person")
    batch = []
    for person in Person.objects.only(
        "first_name", "other_names", "surname", "also_known_as", "date_of_birth", "birth_year"
    ).iterator(chunk_size=2000):
        parts = (person.first_name, person.other_names, person.surname, person.also_known_as)
        year = person.date_of_birth.year if person.date_of_birth else person.birth_year
        person.name_keys = names.person_keys(*parts, year=year)
        batch.append(person)
        if len(batch) >= 2000:
            Person.objects.bulk_update(batch, ["name_keys"])
            batch = []
    Person.objects.bulk_update(batch, ["name_keys"])


class Migration(migrations.Migration):
    dependencies = [
        ("shared_registry", "0010_person_mother_name"),
    ]

    operations = [
        migrations.RunPython(refresh_name_keys, migrations.RunPython.noop),
    ]
