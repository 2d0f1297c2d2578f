"""OVC programme models: graduation (issue 18), imported by case_apps/ovc/models.py.

Benchmark monitoring (CPIMS form ``obm``/``hhrcpa``) follows a household's nine CPARA
benchmarks between two assessments: each met or not, then whether the household is ready
for exit and whether the closure checklist was checked.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from case_apps.cases.models import public_ref
from case_apps.ovc import scoring
from tenants.limits import NOTES_MAX_LENGTH


class BenchmarkMonitoring(models.Model):
    """One benchmark monitoring visit of a household, dated the day it happened."""

    household = models.ForeignKey(
        "ovc.Household", on_delete=models.CASCADE, related_name="benchmark_monitorings"
    )
    monitored_on = models.DateField(_("date of monitoring"))
    met = models.JSONField(default=dict)  # {"1": true | false, ... "9": ...}
    total = models.PositiveSmallIntegerField(default=0)  # benchmarks met
    ready_for_exit = models.BooleanField(_("ready for exit"), default=False)
    closure_checked = models.BooleanField(_("closure checked"), default=False)
    notes = models.TextField(_("notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    recorded_by = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-monitored_on", "-id"]
        indexes = [models.Index(fields=["household", "monitored_on"], name="ovc_bm_idx")]

    def __str__(self) -> str:
        return f"Benchmark monitoring {self.monitored_on}: {self.total}/9"

    def is_met(self, number: int) -> bool:
        return bool(self.met.get(str(number)))

    @property
    def all_met(self) -> bool:
        return self.total == len(scoring.BENCHMARKS)
