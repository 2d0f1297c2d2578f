"""A create that names its record with the client's own uuid (offline capture, a retried
call): the first one creates, a repeat with the same content returns the record it created
and writes nothing, and the same uuid with other content is refused naming ``uuid``.

The rule is generic and lives in ``tenants/client_ids.py`` (sharing and the registry use it
too); serial numbers and national references stay the server's: a replay returns the
record's own.
"""

from __future__ import annotations

from tenants.client_ids import REPLAYED, lock_name, replay, uuid_lock, was_replayed

__all__ = ["REPLAYED", "lock_name", "replay", "uuid_lock", "was_replayed"]
