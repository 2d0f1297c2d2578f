"""De-identified facts drained from every organisation's outbox (ARCHITECTURE 4)."""

from django.db import models


class Fact(models.Model):
    """One reportable event, with dimensions only: no name, no identifier, no free text."""

    # Facts outlive the organisation's workspace (archived or deleted organisations still
    # count in past figures): no constraint, no cascade.
    organisation = models.ForeignKey(
        "tenants.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    outbox_event_id = models.BigIntegerField()
    occurred_on = models.DateField()
    event_kind = models.CharField(max_length=64)
    programme = models.CharField(max_length=32, blank=True)
    category = models.CharField(max_length=16, blank=True)
    sex = models.CharField(max_length=8, blank=True)
    age_band = models.CharField(max_length=16, blank=True)
    county = models.CharField(max_length=8, blank=True)
    sub_county = models.CharField(max_length=8, blank=True)
    ward = models.CharField(max_length=8, blank=True)
    case_ref = models.CharField(max_length=40, blank=True)
    drained_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "outbox_event_id"], name="fact_once_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["event_kind", "occurred_on"], name="fact_kind_date_idx"),
            models.Index(fields=["county", "event_kind", "occurred_on"], name="fact_county_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_kind} {self.category} {self.occurred_on}"


class MonthlyCount(models.Model):
    """Facts counted by month and dimension: what dashboards read (kept in step by the drain)."""

    month = models.DateField()
    organisation = models.ForeignKey(
        "tenants.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    event_kind = models.CharField(max_length=64)
    programme = models.CharField(max_length=32, blank=True)
    category = models.CharField(max_length=16, blank=True)
    sex = models.CharField(max_length=8, blank=True)
    age_band = models.CharField(max_length=16, blank=True)
    county = models.CharField(max_length=8, blank=True)
    sub_county = models.CharField(max_length=8, blank=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "month",
                    "organisation",
                    "event_kind",
                    "programme",
                    "category",
                    "sex",
                    "age_band",
                    "county",
                    "sub_county",
                ],
                name="one_count_per_cell",
            )
        ]
        indexes = [
            models.Index(fields=["event_kind", "month"], name="count_kind_month_idx"),
            models.Index(fields=["county", "event_kind", "month"], name="count_county_idx"),
            models.Index(fields=["organisation", "event_kind", "month"], name="count_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.event_kind} {self.category}: {self.n}"
