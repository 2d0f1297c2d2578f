"""How many cases the workspace holds per officer pair, stage, status and risk: the home
page's tiles read these few rows instead of counting every case.

Kept by the database itself (``public.cpims_case_tiles_keep``, a statement trigger on
``cases_caserecord``), so every write path (services, bulk loads, transfers) keeps it exact;
the caseload scope of ``tenants.policy`` applies to it as to the cases (same officer
columns)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CaseTileCount(models.Model):
    """Cases of one (assigned officer, recorded by, stage, status, risk level); ``n`` may
    be 0 once every such case has moved on."""

    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # read through the key's index; written by the trigger alone
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # read through the key's index; written by the trigger alone
        related_name="+",
    )
    stage = models.CharField(max_length=16)
    status = models.CharField(max_length=20)
    risk_level = models.CharField(max_length=16)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assigned_officer", "created_by", "stage", "status", "risk_level"],
                nulls_distinct=False,
                name="case_tile_count_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.stage}/{self.status}/{self.risk_level}: {self.n}"
