"""API: court sessions, court orders and summons."""

from ninja import Router

router = Router(tags=["cases"])
