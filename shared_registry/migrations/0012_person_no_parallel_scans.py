from django.db import migrations


class Migration(migrations.Migration):
    """The matcher's lookups read a few hundred to a few thousand persons through the GIN
    index; the planner overestimates the rows of the "pair@yYEAR" keys (tens of thousands)
    and starts parallel workers, which cost more than the scan on a loaded 2-core machine
    (95 ms instead of 22 ms at ten million persons, docs/registry.md)."""

    dependencies = [
        ("shared_registry", "0011_year_pair_keys"),
    ]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE shared_registry_person SET (parallel_workers = 0)",
            "ALTER TABLE shared_registry_person RESET (parallel_workers)",
        ),
    ]
