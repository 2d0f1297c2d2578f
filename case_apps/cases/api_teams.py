"""API: teams: who supervises whom."""

from ninja import Router

router = Router(tags=["cases"])
