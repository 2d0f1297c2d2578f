"""One table of coded list items, as CPIMS's ``list_general``, keyed by list and code."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import translation


class ListItem(models.Model):
    """An item of a national list: e.g. list ``case_category``, code ``CCDF``, "Defilement"."""

    list_name = models.CharField(max_length=48, db_index=True)
    code = models.CharField(max_length=16)
    label = models.CharField(max_length=200)
    label_sw = models.CharField("label (Kiswahili)", max_length=200, blank=True)
    # For sub-lists: the code of the parent item (a sub-category's case category).
    parent_code = models.CharField(max_length=16, blank=True, db_index=True)
    # Report groups of case categories: V violence against children, M missing, T trafficking.
    report_groups = ArrayField(models.CharField(max_length=1), default=list, blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["list_name", "sort_order", "label"]
        constraints = [
            models.UniqueConstraint(fields=["list_name", "code"], name="one_code_per_list")
        ]

    def __str__(self) -> str:
        return f"{self.display_label} ({self.code})"

    @property
    def display_label(self) -> str:
        if translation.get_language() == "sw" and self.label_sw:
            return self.label_sw
        return self.label


class SubCountySerialCounter(models.Model):
    """The national running number of DCS case references, per sub-county and year
    (``CCO/<county>/<sub-county>/5/29/<n>/<year>``): national because every DCS office of a
    sub-county counts in the same series; the row is locked by the case's own transaction
    (case_apps/cases/services/record_sheet.py), so numbers have no gaps and no repeats."""

    county_code = models.CharField(max_length=8)
    sub_county_code = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county_code", "sub_county_code", "year"], name="one_counter_per_place"
            )
        ]

    def __str__(self) -> str:
        return f"{self.county_code}/{self.sub_county_code} {self.year}: {self.last_serial}"
