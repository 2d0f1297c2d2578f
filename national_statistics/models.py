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


class Dhis2MappingKind(models.TextChoices):
    DATA_SET = "data_set", "Data set (by report)"
    DATA_ELEMENT = "data_element", "Data element (by case category)"
    CATEGORY_OPTION_COMBO = "category_option_combo", "Category option combo (by sex|age band)"
    ORG_UNIT = (
        "org_unit",
        "Organisation unit (national, a county code, sub_county:<code>, organisation:<slug>)",
    )


class Dhis2Mapping(models.Model):
    """How a report's rows, columns and areas map to DHIS2 identifiers (maintained by DCS)."""

    kind = models.CharField(max_length=32, choices=Dhis2MappingKind.choices)
    key = models.CharField(max_length=80)
    uid = models.CharField(max_length=11)

    class Meta:
        ordering = ["kind", "key"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_uid_per_key")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} -> {self.uid}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class ExportJob(models.Model):
    """A report export built in the background, with its progress and its file."""

    requested_by = models.ForeignKey(
        "tenants.User", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    organisation = models.ForeignKey(
        "tenants.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        null=True,
        blank=True,
    )
    county = models.CharField(max_length=8, blank=True)
    sub_county = models.CharField(max_length=8, blank=True)
    month_from = models.DateField()
    month_to = models.DateField()
    report = models.CharField(max_length=32, default="case_load_summary")
    export_format = models.CharField(max_length=8)
    status = models.CharField(max_length=8, choices=ExportStatus.choices, default="queued")
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    note = models.TextField(blank=True)
    # who may read it (national_statistics.audience): "published" files are suppressed
    audience = models.CharField(max_length=16, default="published")
    reason = models.TextField(blank=True)  # why an analyst took it unsuppressed (logged)
    period = models.CharField(max_length=24, blank=True)  # the period key chosen, if any
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.report} {self.export_format} ({self.status})"
