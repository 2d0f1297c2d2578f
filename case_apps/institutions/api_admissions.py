"""API of the institution's admissions (issue 19), calling the same services, selectors and policy
as the screens."""

from ninja import Router

router = Router(tags=["institutions"])
