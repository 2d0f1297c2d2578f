"""Client-generated identifiers of the case apps' records: the field and its replay rule
live in ``tenants/client_ids.py`` (the sharing and registry records use them too)."""

from __future__ import annotations

from tenants.client_ids import client_uuid

__all__ = ["client_uuid"]
