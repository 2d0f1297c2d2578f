"""Form 1B: services delivered to a household's caregiver (issue 18 point 8), coded from the
domain's provisional national list ``ovc_form1b_service_<domain>`` (data_ovc_plans)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from case_apps.cases.models import public_ref
from case_apps.client_ids import client_uuid
from case_apps.ovc.models import Household, HouseholdMember


class HouseholdServiceRecord(models.Model):
    """A service delivered to a caregiver of a household (Form 1B)."""

    uuid = client_uuid()  # chosen by the client (offline capture) or drawn here
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="caregiver_services"
    )
    # A member of the household who is not a child (the head unless another is chosen).
    caregiver = models.ForeignKey(
        HouseholdMember, on_delete=models.PROTECT, related_name="services_received"
    )
    domain = models.CharField(_("domain"), max_length=16)
    # The code of the domain's Form 1B list (ovc_form1b_service_<domain>, data_ovc_plans).
    service = models.CharField(_("service"), max_length=16)
    provider = models.CharField(_("provider"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    date = models.DateField(_("date of service"))
    recorded_by = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["household", "date"], name="ovc_f1b_service_idx")]

    def __str__(self) -> str:
        return f"{self.service} on {self.date}"
