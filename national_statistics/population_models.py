"""Institution population rollups (issue 19), kept by the drain (rollups.py): a module of
their own so that models.py stays one subject at a time; imported by models.py, where Django
looks for the app's models."""

from django.db import models


class PopulationCell(models.Model):
    """The cell of every institution population rollup: the area, the sex and the age band
    (at admission)."""

    county = models.CharField(max_length=8, blank=True)
    sub_county = models.CharField(max_length=8, blank=True)
    sex = models.CharField(max_length=8, blank=True)
    age_band = models.CharField(max_length=16, blank=True)

    class Meta:
        abstract = True


class PopulationMovements(PopulationCell):
    """A month's admissions and discharges of a cell."""

    month = models.DateField()
    admitted = models.BigIntegerField(default=0)
    discharged = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class PopulationResidents(PopulationCell):
    """Every admission less every discharge ever drained, of a cell."""

    residents = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class PopulationMonth(PopulationMovements):
    """Institution population rollup, kept by the drain: the ``resident_admitted`` and
    ``resident_discharged`` facts of a month counted by institution, area, sex and age band
    (at admission). The population report reads the period's months from it."""

    organisation = models.ForeignKey(
        "tenants.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "organisation", "county", "sub_county", "sex", "age_band"],
                name="one_population_month_per_cell",
            )
        ]
        indexes = [
            models.Index(fields=["month"], name="population_month_idx"),
            models.Index(fields=["county", "month"], name="population_county_idx"),
            models.Index(fields=["organisation", "month"], name="population_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.sex} {self.age_band}: +{self.admitted} -{self.discharged}"


class PopulationBalance(PopulationResidents):
    """Institution population rollup, kept by the drain: every admission less every discharge
    ever drained, by institution, area, sex and age band (at admission), whatever their month.
    The residents before a period are this balance less the months from the period's start
    (``PopulationMonth``): a recent period reads a few months, never the whole history."""

    organisation = models.ForeignKey(
        "tenants.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "county", "sub_county", "sex", "age_band"],
                name="one_population_balance_per_cell",
            )
        ]
        indexes = [models.Index(fields=["county", "sub_county"], name="population_area_idx")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.sex} {self.age_band}: {self.residents}"


class PopulationAreaMonth(PopulationMovements):
    """``PopulationMonth`` summed over the institutions of each county and sub-county (kept by
    the drain with it): what a sub-county's, a county's and the national report read."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "county", "sub_county", "sex", "age_band"],
                name="one_population_area_month",
            )
        ]
        indexes = [models.Index(fields=["county", "month"], name="population_area_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.county} {self.sex} {self.age_band}"


class PopulationAreaBalance(PopulationResidents):
    """``PopulationBalance`` summed over the institutions of each county and sub-county."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county", "sub_county", "sex", "age_band"],
                name="one_population_area_balance",
            )
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.sub_county} {self.sex} {self.age_band}: {self.residents}"
