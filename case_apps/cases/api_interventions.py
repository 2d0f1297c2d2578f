"""API: interventions, closure and reopening."""

from ninja import Router

router = Router(tags=["cases"])
