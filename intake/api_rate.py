"""The intake API's own rate-limit bucket (audit/api.py asks it through
``CPIMS_API_RATE_CALLERS``): a request to the intake API with the key id of an active intake
client counts against that client at ``INTAKE_REQUESTS_PER_MINUTE``, not against the
sender's address at the limit meant for people, which a helpline's bursts would pass."""

from __future__ import annotations

from django.http import HttpRequest

from audit.security import live
from intake.models import IntakeClient

PREFIX = "/api/v1/intake/"


def intake_rate_caller(request: HttpRequest) -> tuple[str, int] | None:
    key_id = request.headers.get("X-CPIMS-Key", "").strip()
    if not key_id or len(key_id) > 40 or not request.path.startswith(PREFIX):
        return None
    found = (
        IntakeClient.objects.filter(key_id=key_id, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )
    if found is None:  # an unknown key counts against the address, as anyone else
        return None
    return f"intake:{found}", live("INTAKE_REQUESTS_PER_MINUTE")
