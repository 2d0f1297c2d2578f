"""Demo data: the demo organisations' national codes (tumaini a CCI whose licence expires
within 60 days, so the warning shows; imara a local NGO). Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tenants.models import Organisation

DEMO_CODES = {
    "tumaini": {
        "type_code": "TNRC",
        "registration_type": "ICCI",
        "licence_number": "DCS/CCI/LIC/2025/0042",
        "gazettement_number": "GN 4471 of 2024",
        # days from today: the licence warns (within 60 days), the gazettement does not
        "licence_expires_on": 45,
        "gazettement_expires_on": 400,
        "gazetted_on": -330,
        "registered_on": -2900,
    },
    "imara": {
        "type_code": "TNRL",
        "registration_type": "INGO",
        "registered_on": -5100,
    },
}


def organisations_codes_demo(organisations: dict[str, Organisation]) -> None:
    """Give the demo organisations (by slug) their type code, registration and, for the CCI,
    a licence expiring within 60 days and a gazettement; others are left as they are."""
    today = timezone.localdate()
    for slug, codes in DEMO_CODES.items():
        organisation = organisations.get(slug)
        if organisation is None:
            continue
        values = {
            name: today + timedelta(days=value) if isinstance(value, int) else value
            for name, value in codes.items()
        }
        Organisation.objects.filter(pk=organisation.pk).update(**values)
        for name, value in values.items():
            setattr(organisation, name, value)
