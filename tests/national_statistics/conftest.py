"""Statistics tests count everything nationally, so each starts from empty figures.

Browser tests and demo-like fixtures commit rows that outlive their own tests (the live
server only sees committed data). Inside each statistics test's transaction (so it is all
rolled back), facts and counts are emptied and every waiting outbox event is marked drained.
"""

import pytest
from django.utils import timezone

from case_apps.outbox.models import OutboxEvent
from national_statistics.models import (
    CaseProgress,
    ChildArea,
    ChildAreaCount,
    ChildMonth,
    CountyMonthCount,
    Fact,
    FactSource,
    MerCount,
    MerQuarter,
    MonthlyCount,
    PendingCount,
    PopulationAreaBalance,
    PopulationAreaMonth,
    PopulationBalance,
    PopulationMonth,
)
from tenants.models import Organisation, OrganisationStatus
from tenants.schema import workspace_context


@pytest.fixture(autouse=True)
def _statistics_start_empty(world, db):
    Fact.objects.all().delete()
    MonthlyCount.objects.all().delete()
    for rollup in (
        CaseProgress,
        ChildArea,
        ChildAreaCount,
        ChildMonth,
        CountyMonthCount,
        FactSource,
        MerCount,
        MerQuarter,
        PendingCount,
        PopulationMonth,
        PopulationBalance,
        PopulationAreaMonth,
        PopulationAreaBalance,
    ):
        rollup.objects.all().delete()
    for organisation in Organisation.objects.filter(status=OrganisationStatus.ACTIVE):
        with workspace_context(organisation):
            OutboxEvent.objects.filter(drained_at__isnull=True).update(drained_at=timezone.now())
