"""API of the OVC programme: plans (issue 18). Shared helpers in case_apps/ovc/api.py."""

from ninja import Router

router = Router(tags=["ovc"])
