"""Bursary applications and their approval chain (GLOSSARY section 4, "Bursary").

An application names the child's case, the bursary type (a code of the ``bursary_type``
list), the school and the fees; then each step of its type's chain is recorded once, in
order (``case_apps/cases/services/bursaries.py`` holds the chains and the rules). An
approval creates the ``BursaryAward`` the child's education record shows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from case_apps.client_ids import client_uuid
from tenants.limits import NOTES_MAX_LENGTH


def _user_ref() -> models.ForeignKey:
    """A user of the public schema: no constraint, no cascade (as in models.py)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )


class BursaryStatus(models.TextChoices):
    PENDING = "pending", _("In the approval chain")
    NOT_RECOMMENDED = "not_recommended", _("Not recommended")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ParentsStatus(models.TextChoices):
    BOTH_ALIVE = "both_alive", _("Both parents alive")
    SINGLE_PARENT = "single_parent", _("Single parent")
    PARTIAL_ORPHAN = "partial_orphan", _("One parent dead")
    TOTAL_ORPHAN = "total_orphan", _("Both parents dead")
    UNKNOWN = "unknown", _("Not known")


class BursaryStepKind(models.TextChoices):
    PRINCIPAL = "principal", _("Principal's recommendation")
    CHIEF = "chief", _("Chief's or sub-chief's recommendation")
    SUB_COUNTY = "sub_county", _("Sub-county children officer's sign-off")
    COMMITTEE = "committee", _("County Scholarship Advisory Committee approval")


class BursaryApplication(models.Model):
    """A child's application for a bursary, waiting for, or through, its approval chain."""

    uuid = client_uuid()  # chosen by the client (offline capture) or drawn here
    case = models.ForeignKey(
        "cases.CaseRecord", on_delete=models.CASCADE, related_name="bursary_applications"
    )
    bursary_type = models.CharField(_("bursary"), max_length=16)
    year = models.PositiveSmallIntegerField(_("school year"))
    # The school: from the national schools registry (NEMIS code) when it is there, else named
    school_code = models.CharField(_("school's NEMIS code"), max_length=20, blank=True)
    school_name = models.CharField(_("school"), max_length=200)
    nemis_upi = models.CharField(_("NEMIS UPI"), max_length=20, blank=True)
    class_level = models.CharField(_("class / form"), max_length=32)
    annual_fees_kes = models.DecimalField(_("annual fees (KES)"), max_digits=10, decimal_places=2)
    fee_balance_kes = models.DecimalField(_("fee balance (KES)"), max_digits=10, decimal_places=2)
    parents_status = models.CharField(
        _("parents' status"), max_length=16, choices=ParentsStatus.choices
    )
    family_situation = models.TextField(
        _("family situation"), blank=True, max_length=NOTES_MAX_LENGTH
    )
    applied_on = models.DateField(_("applied on"))
    officer = _user_ref()
    status = models.CharField(
        _("status"), max_length=16, choices=BursaryStatus.choices, default=BursaryStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-applied_on", "-id"]
        indexes = [
            models.Index(fields=["status", "-applied_on"], name="bursary_app_status_idx"),
            models.Index(fields=["year"], name="bursary_app_year_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(annual_fees_kes__gte=0)
                & models.Q(fee_balance_kes__gte=0)
                & models.Q(fee_balance_kes__lte=models.F("annual_fees_kes")),
                name="bursary_fees_balance_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bursary_type} {self.year} ({self.status})"


class BursaryStep(models.Model):
    """One step of an application's chain: who signed (the name on the paper, or the acting
    officer's for a sign-off), the date it happened, the outcome; who recorded it and when."""

    application = models.ForeignKey(
        BursaryApplication, on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField(_("step"), max_length=16, choices=BursaryStepKind.choices)
    signatory_name = models.CharField(_("name"), max_length=200)
    on = models.DateField(_("date"))
    recommended = models.BooleanField(_("recommended / approved"))
    comment = models.TextField(_("comment"), blank=True, max_length=NOTES_MAX_LENGTH)
    approved_amount_kes = models.DecimalField(
        _("approved amount (KES)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    recorded_by = _user_ref()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="bursary_step_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.on}"


# The approval chain of each bursary type, in order (GLOSSARY section 4, "Bursary"). The
# Presidential bursary goes through the school, the local administration, the sub-county
# children officer and the County Scholarship Advisory Committee; the other types have one
# step, their awarding body's approval recorded by the same officers. The last step of a
# chain approves the application (with the amount) or rejects it.
PRESIDENTIAL = "BPRE"
BURSARY_CHAINS: dict[str, tuple[str, ...]] = {
    PRESIDENTIAL: (
        BursaryStepKind.PRINCIPAL,
        BursaryStepKind.CHIEF,
        BursaryStepKind.SUB_COUNTY,
        BursaryStepKind.COMMITTEE,
    ),
}
SHORT_CHAIN: tuple[str, ...] = (BursaryStepKind.COMMITTEE,)
# Steps only a member with the right to approve bursaries records (a sign-off, a decision).
SIGN_OFF_STEPS = frozenset({BursaryStepKind.SUB_COUNTY, BursaryStepKind.COMMITTEE})


def bursary_chain(bursary_type: str) -> tuple[str, ...]:
    """The steps of an application of this bursary type, in order."""
    return BURSARY_CHAINS.get(bursary_type, SHORT_CHAIN)


def step_label(kind: str, bursary_type: str) -> str:
    """What a step is called on the application's trail: the last step of a short chain is
    the awarding body's approval, not the County Scholarship Advisory Committee's."""
    if kind == BursaryStepKind.COMMITTEE and bursary_type not in BURSARY_CHAINS:
        return str(_("Approval by the awarding body"))
    return str(BursaryStepKind(kind).label)
