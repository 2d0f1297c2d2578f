"""Reads of household visits (issue 21): a household's visits, latest first."""

from __future__ import annotations

from django.db.models import QuerySet

from case_apps.ovc.models import Household
from case_apps.ovc.models_visits import HouseholdVisit


def household_visits(household: Household) -> QuerySet[HouseholdVisit]:
    """The visits to a household already fetched as the reader, latest first (the children
    seen read with them)."""
    return (
        HouseholdVisit.objects.filter(household=household)
        .prefetch_related("children_seen__child")
        .order_by("-visited_on", "-id")
    )
