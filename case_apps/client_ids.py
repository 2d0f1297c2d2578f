"""Client-generated identifiers: records created offline or through the API carry a UUID
the client may choose (so a retried or synchronised create names the same record), or one
the server draws. Serial numbers and national references stay the server's."""

from __future__ import annotations

from uuid import uuid4

from django.contrib.postgres.functions import RandomUUID
from django.db import models


def client_uuid() -> models.UUIDField:
    """The ``uuid`` field of a record the API or the offline app creates."""
    return models.UUIDField(default=uuid4, db_default=RandomUUID(), unique=True, editable=False)
