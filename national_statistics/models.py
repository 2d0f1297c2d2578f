"""De-identified facts drained from every organisation's outbox (ARCHITECTURE 4)."""

from datetime import date

from django.db import models

from national_statistics.population_models import (  # noqa: F401 (Django finds them here)
    PopulationAreaBalance,
    PopulationAreaMonth,
    PopulationBalance,
    PopulationMonth,
)


class Fact(models.Model):
    """One reportable event, with dimensions only: no name, no identifier, no free text."""

    # Facts outlive the organisation's workspace (archived or deleted organisations still
    # count in past figures): no constraint, no cascade. No index of its own: the unique
    # constraint and the source and case_ref indexes all lead with it (one index less for
    # the drain to keep).
    organisation = models.ForeignKey(
        "tenants.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
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
    # The registry person, hashed (a child counts once nationally however many organisations
    # hold a case for them); blank on facts drained before it was recorded.
    person_ref = models.CharField(max_length=40, blank=True, db_default="")
    # The record the fact is about in its organisation (``followup:42``): at most one fact per
    # source, replaced when the record is corrected, removed when it is deleted.
    source = models.CharField(max_length=80, blank=True, db_default="")
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
            models.Index(
                fields=["organisation", "source"],
                condition=~models.Q(source=""),
                name="fact_source_idx",
            ),
            models.Index(fields=["organisation", "case_ref"], name="fact_case_ref_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_kind} {self.category} {self.occurred_on}"


class FactSource(models.Model):
    """The latest outbox event applied for a source: an older one drained again (a lost
    drained mark, an event committed late) changes nothing, so restatement is idempotent."""

    organisation = models.ForeignKey(
        "tenants.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the unique constraint leads with it
        related_name="+",
    )
    source = models.CharField(max_length=80)
    event_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "source"], name="one_mark_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.source} @ {self.event_id}"


class DrainCursor(models.Model):
    """How far the drain has read an organisation's event stream (the stream's opaque cursor,
    ``case_apps.outbox.selectors.events_since``); locked by the drain for each batch."""

    organisation = models.OneToOneField(
        "tenants.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        primary_key=True,
    )
    cursor = models.CharField(max_length=100)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.organisation_id} @ {self.cursor}"


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


class ChildMonth(models.Model):
    """Which children (hashed registry persons) had a case opened in a month, and where: a
    child counts once nationally however many organisations opened a case for them (``n``
    is the number of such facts, so a retraction knows when the child is gone)."""

    month = models.DateField()
    # hashtextextended(person_ref): distinct counts over 64-bit integers are about three
    # times faster than over text (a collision is about one in 2^32 pairs of children)
    person_key = models.BigIntegerField()
    organisation = models.ForeignKey(
        "tenants.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    county = models.CharField(max_length=8, blank=True)
    sub_county = models.CharField(max_length=8, blank=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "person_key", "organisation", "county", "sub_county"],
                name="one_child_month_per_place",
            )
        ]
        indexes = [
            models.Index(fields=["county", "month"], name="childmonth_county_idx"),
            models.Index(fields=["organisation", "month"], name="childmonth_org_idx"),
            # the drain reads a child's rows to rebuild its ChildArea rows
            models.Index(fields=["person_key"], name="childmonth_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.person_key} x{self.n}"


class ChildArea(models.Model):
    """The children tile's rollup, kept by the drain from ``ChildMonth`` (children.py): one
    row per child, area (``""`` the nation, or a county code) and span of 64 months, with a
    bit mask of the span's months in which a case was opened for the child there. Spans start
    every 32 months (span ``s`` holds months ``32 s`` to ``32 s + 63``, a month counted as
    ``year * 12 + month - 1``), so any period of up to 33 months lies in one span. Read by
    the drain only, a child at a time (its key leads): the tile reads ``ChildAreaCount``."""

    pk = models.CompositePrimaryKey("person_key", "area", "span")
    area = models.CharField(max_length=8, blank=True)
    span = models.IntegerField()
    person_key = models.BigIntegerField()
    months = models.BigIntegerField()  # bit i: month 32 * span + i (never 0: no row then)

    def __str__(self) -> str:
        return f"{self.area or 'national'} span {self.span} {self.person_key}"


class ChildAreaCount(models.Model):
    """``ChildArea``'s rows counted by area, span and mask (kept in step with them by the
    drain): the children of a period of up to 33 months in an area are the sum of its span's
    counts whose mask meets the period's, a few hundred cells however many children."""

    pk = models.CompositePrimaryKey("area", "span", "months")
    area = models.CharField(max_length=8, blank=True)
    span = models.IntegerField()
    months = models.BigIntegerField()
    n = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.area or 'national'} span {self.span} {self.months:#x}: {self.n}"


class CountyMonthCount(models.Model):
    """``MonthlyCount`` without organisation, sub-county and programme, which the national and
    county dashboards do not group by (kept in step by the drain, in the statements that
    keep ``MonthlyCount``): their series read these cells, several times fewer."""

    pk = models.CompositePrimaryKey("event_kind", "month", "county", "category", "sex", "age_band")
    month = models.DateField()
    event_kind = models.CharField(max_length=64)
    category = models.CharField(max_length=16, blank=True)
    sex = models.CharField(max_length=8, blank=True)
    age_band = models.CharField(max_length=16, blank=True)
    county = models.CharField(max_length=8, blank=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["county", "event_kind", "month"], name="county_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.county} {self.event_kind} {self.category}: {self.n}"


class CaseProgress(models.Model):
    """The pending tile's rollup, kept by the drain (rollups.py): one row per case (an
    organisation's ``case_ref``) and month and area of its ``case_opened`` facts (``n`` of
    them), with the month the case first moved on (became active, closed or transferred
    out; ``NEVER`` while it has not). A case a drained batch touches has its rows rebuilt
    from its facts."""

    NEVER = date(9999, 12, 1)

    organisation = models.ForeignKey(
        "tenants.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # a unique constraint holds it
        related_name="+",
    )
    case_ref = models.CharField(max_length=40)
    opened_month = models.DateField()
    county = models.CharField(max_length=8, blank=True)
    sub_county = models.CharField(max_length=8, blank=True)
    moved_month = models.DateField()
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "case_ref", "opened_month", "county", "sub_county"],
                name="one_case_progress_row",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_ref[:8]} {self.opened_month} -> {self.moved_month}"


class PendingCount(models.Model):
    """``CaseProgress`` counted by opened month, moved-on month, organisation and area (kept
    in step with it): the cases of a period still pending at its end are the cells opened in
    the period whose moved-on month is after it, a few thousand cells nationally."""

    opened_month = models.DateField()
    moved_month = models.DateField()
    organisation = models.ForeignKey(
        "tenants.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # a unique constraint holds it
        related_name="+",
    )
    county = models.CharField(max_length=8, blank=True)
    sub_county = models.CharField(max_length=8, blank=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["opened_month", "moved_month", "organisation", "county", "sub_county"],
                include=["n"],
                name="one_pending_count_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.opened_month} -> {self.moved_month}: {self.n}"


class MerQuarter(models.Model):
    """PEPFAR MER rollup, kept by the drain: one row per OVC beneficiary (``case_ref``) and
    fiscal quarter in which it was served (``exit`` false), plus one for the quarter of its
    exit, with its state at that quarter's end. OVC_SERV and OVC_HIVSTAT of any period are
    then a filtered count of one quarter's rows and the period's exits (rollups.py)."""

    organisation = models.ForeignKey(
        "tenants.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    case_ref = models.CharField(max_length=40)
    quarter = models.DateField()
    exit = models.BooleanField(default=False)
    served_before = models.BooleanField(default=False)  # served in the quarter before too
    enrolled_on = models.DateField()
    exit_on = models.DateField(null=True, blank=True)
    graduated = models.BooleanField(default=False)
    sex = models.CharField(max_length=8, blank=True)
    age_band = models.CharField(max_length=16, blank=True)
    county = models.CharField(max_length=8, blank=True)
    sub_county = models.CharField(max_length=8, blank=True)
    school = models.CharField(max_length=16, blank=True)
    hivstat = models.CharField(max_length=16, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["quarter", "exit"], name="mer_quarter_idx"),
            models.Index(fields=["county", "quarter"], name="mer_county_idx"),
            models.Index(fields=["organisation", "case_ref"], name="mer_beneficiary_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_ref[:8]} {self.quarter}{' exit' if self.exit else ''}"


class MerCount(models.Model):
    """MerQuarter rows counted by what OVC_SERV and OVC_HIVSTAT read (kept in step with
    them): an active row counts in its quarter, an exit row in the quarter of its exit, so a
    national report sums a few hundred cells."""

    quarter = models.DateField()
    organisation = models.ForeignKey(
        "tenants.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    county = models.CharField(max_length=8, blank=True)
    sub_county = models.CharField(max_length=8, blank=True)
    status = models.CharField(max_length=16)  # active, graduated, exited
    hivstat = models.CharField(max_length=16, blank=True)
    sex = models.CharField(max_length=8, blank=True)
    age_band = models.CharField(max_length=16, blank=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "quarter",
                    "organisation",
                    "county",
                    "sub_county",
                    "status",
                    "hivstat",
                    "sex",
                    "age_band",
                ],
                name="one_mer_count_per_cell",
            )
        ]
        indexes = [models.Index(fields=["county", "quarter"], name="mercount_county_idx")]

    def __str__(self) -> str:
        return f"{self.quarter} {self.status} {self.sex} {self.age_band}: {self.n}"


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
