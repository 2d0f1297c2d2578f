"""Bursary awards' types become codes of the ``bursary_type`` list ("Presidential" -> BPRE...).

Nothing is lost: a value outside the six names the old form offered is left as it was (the
screens show it as typed); the facts already in the outbox are restated with the code (a new
event of the same source replaces the fact when drained), so the national figures count the
old awards under the same codes as the new ones. Reversible.
"""

from django.db import migrations

TO_CODE = {
    "presidential": "BPRE",
    "cdf": "BCDF",
    "usg": "BUSG",
    "bank": "BBNK",
    "charity": "BCHA",
    "county": "BCOU",
}
TO_NAME = {
    "BPRE": "Presidential",
    "BCDF": "CDF",
    "BUSG": "USG",
    "BBNK": "Bank",
    "BCHA": "Charity",
    "BCOU": "County",
}


def _restate_fact(OutboxEvent, award, category: str) -> None:
    """Write the award's fact again with ``category`` when its latest event is a fact."""
    source = f"case:{award.case_id}:bursary:{award.pk}"
    latest = OutboxEvent.objects.filter(source=source).order_by("-id").first()
    if latest is None or latest.kind != "bursary":
        return  # never recorded, or retracted
    OutboxEvent.objects.create(
        kind=latest.kind,
        version=latest.version,
        payload={**latest.payload, "category": category},
        occurred_at=latest.occurred_at,
        source=source,
    )


def _convert(apps, mapping, key) -> None:
    BursaryAward = apps.get_model("cases", "BursaryAward")
    OutboxEvent = apps.get_model("outbox", "OutboxEvent")
    for award in BursaryAward.objects.order_by("pk"):
        new = mapping.get(key(award.bursary_type))
        if new is None or new == award.bursary_type:
            continue
        award.bursary_type = new
        award.save(update_fields=["bursary_type"])
        _restate_fact(OutboxEvent, award, new)


def to_codes(apps, schema_editor):
    _convert(apps, TO_CODE, lambda value: value.strip().lower())


def to_names(apps, schema_editor):
    _convert(apps, TO_NAME, lambda value: value)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_bursary_applications"),
        ("outbox", "0006_idempotent_request"),
    ]

    operations = [migrations.RunPython(to_codes, to_names)]
