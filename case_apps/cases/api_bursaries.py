"""API: bursary applications and their approval chain."""

from ninja import Router

router = Router(tags=["cases"])
