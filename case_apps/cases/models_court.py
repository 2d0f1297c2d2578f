"""Court sessions, court orders and summons of a case."""

from __future__ import annotations
