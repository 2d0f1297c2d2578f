"""Client-generated identifiers: records created offline or through the API carry a UUID
the client may choose (so a retried or synchronised create names the same record), or one
the server draws. Serial numbers and national references stay the server's.

A create that names its record with the client's own uuid: the first one creates, a repeat
with the same content returns the record it created and writes nothing, and the same uuid
with other content is refused naming ``uuid``. The uuid is unique within the schema its
table lives in (an organisation's, or public for the sharing and registry records); two
creates with one uuid at once take turns on a transaction-level advisory lock, so the second
sees the first's record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from django.conf import settings
from django.contrib.postgres.functions import RandomUUID
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.translation import gettext

from tenants.schema import current_schema_name

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

REPLAYED = "replayed"  # the attribute a replayed record carries (True)


def client_uuid() -> models.UUIDField:
    """The ``uuid`` field of a record the API or the offline app creates."""
    return models.UUIDField(default=uuid4, db_default=RandomUUID(), unique=True, editable=False)


def lock_name(schema_name: str, uuid: UUID | str) -> str:
    """The advisory lock's key (hashed by ``hashtextextended``) for ``uuid`` in a schema."""
    return f"client-uuid:{schema_name}:{uuid}"


def uuid_schema(model: type[Model] | None = None) -> str:
    """The schema whose table holds ``model``'s uuids: the current one for a workspace
    model (or none named), public for a shared one (agreements, consents, referrals)."""
    if model is None or model._meta.app_config.name in settings.TENANT_APPS:
        return current_schema_name()
    return settings.PUBLIC_SCHEMA_NAME


def uuid_lock(uuid: UUID, model: type[Model] | None = None) -> None:
    """Wait for any other create naming ``uuid`` in the schema of ``model``'s table to
    finish (the caller is in a transaction: the lock is released at its end)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            [lock_name(uuid_schema(model), uuid)],
        )


def uuid_locks(uuids: Iterable[UUID], model: type[Model] | None = None) -> None:
    """``uuid_lock`` for many uuids in one round trip, taken in one fixed order (two
    batches naming some of the same uuids wait for each other rather than deadlock)."""
    names = sorted({lock_name(uuid_schema(model), uuid) for uuid in uuids})
    if not names:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n",
            [names],
        )


def uuid_refused() -> ValidationError:
    """The refusal of a uuid that names a record with other content."""
    return ValidationError(
        {"uuid": [gettext("This uuid already names a record with other content.")]}
    )


def replay(queryset: QuerySet, uuid: UUID | None, wanted: Mapping[str, Any]) -> Model | None:
    """The record ``queryset`` holds under ``uuid`` when its values are ``wanted`` (marked
    ``replayed``), None when no record has this uuid (the caller creates it); a
    ``ValidationError`` naming ``uuid`` when the record differs or ``queryset`` (what the
    actor may see and the request is about) does not hold it."""
    if uuid is None:
        return None
    model = queryset.model
    uuid_lock(uuid, model)
    if not model.objects.filter(uuid=uuid).exists():
        return None
    record = queryset.filter(uuid=uuid).first()
    if record is None or any(_value(record, name) != value for name, value in wanted.items()):
        raise uuid_refused()
    setattr(record, REPLAYED, True)
    return record


def _value(record: Model, name: str) -> Any:
    value = getattr(record, name)
    return sorted(value) if isinstance(value, list) else value


def was_replayed(record: Model) -> bool:
    """Whether a create service returned an existing record for the client's uuid."""
    return bool(getattr(record, REPLAYED, False))
