"""Where a child lives in care: the national half of an institution's admission (issue 19).

An institution's admission lives in its own schema; this row says, nationally, that the
person is resident there from a date until the residence ends. The partial unique index
keeps a child resident in at most one institution at a time, whatever code path admits.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

ONE_RESIDENCE = "registry_one_residence_at_a_time"


class Residence(models.Model):
    """A person resident in an institution (an organisation) from ``admitted_on``."""

    person = models.ForeignKey("shared_registry.Person", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "tenants.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    admission_id = models.BigIntegerField()  # the institution's admission (its schema)
    admitted_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_on__isnull=True), name=ONE_RESIDENCE
            ),
            models.UniqueConstraint(
                fields=["organisation", "admission_id"], name="registry_residence_per_admission"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} resident in {self.organisation_id} from {self.admitted_on}"
