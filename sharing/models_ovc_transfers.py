"""A child transferred from one implementing partner's OVC programme to another (issue 18,
point 7): public, since both partners see it. Imported at the bottom of sharing/models.py.

The row carries the least both sides need: who sends and who receives, the child's registry
person, the caregiver the sender proposes (a registry person id, optional), the exit date
and a note for the receiver. Neither side's OVC records cross: the enrolments are ids in
each partner's own schema (no foreign key)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharing.models import StepEvent
from tenants.limits import NOTES_MAX_LENGTH


class OvcTransferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the receiving partner")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OvcTransfer(models.Model):
    """An OVC child exited by one partner (exit reason ``ERFO``) towards another partner,
    which accepts (enrolling the child itself) or declines with a reason."""

    sender = models.ForeignKey(
        "tenants.Organisation", on_delete=models.PROTECT, related_name="ovc_transfers_sent"
    )
    receiver = models.ForeignKey(
        "tenants.Organisation", on_delete=models.PROTECT, related_name="ovc_transfers_received"
    )
    person = models.ForeignKey("shared_registry.Person", on_delete=models.PROTECT, related_name="+")
    # the sender's head caregiver, proposed to the receiver as the household's head
    proposed_caregiver = models.ForeignKey(
        "shared_registry.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    exit_date = models.DateField(_("exit date"))
    note = models.TextField(
        _("note for the receiving partner"), blank=True, max_length=NOTES_MAX_LENGTH
    )
    # the sender's exited enrolment (in the sender's schema: an id, not a foreign key)
    sender_enrolment_id = models.BigIntegerField()
    # the receiver's enrolment opened on acceptance (in the receiver's schema)
    receiver_enrolment_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=16,
        choices=OvcTransferStatus.choices,
        default=OvcTransferStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True, max_length=NOTES_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["receiver", "status"], name="ovctransfer_receiver_idx")]
        constraints = [
            # an exit is one transfer: a sender's enrolment is transferred at most once
            models.UniqueConstraint(
                fields=["sender", "sender_enrolment_id"], name="ovctransfer_once_per_enrolment"
            ),
        ]

    def __str__(self) -> str:
        return f"OVC transfer #{self.pk}: {self.sender_id} -> {self.receiver_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == OvcTransferStatus.PENDING


class OvcTransferEventKind(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted by the receiving partner")
    DECLINED = "declined", _("Declined by the receiving partner")
    WITHDRAWN = "withdrawn", _("Withdrawn by the sending partner")


class OvcTransferEvent(StepEvent):
    """One step of an OVC transfer: who, which side ("sender", "receiver"), when, why."""

    transfer = models.ForeignKey(OvcTransfer, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=OvcTransferEventKind.choices)
    status_after = models.CharField(max_length=16, choices=OvcTransferStatus.choices)

    def __str__(self) -> str:
        return f"{self.kind} #{self.transfer_id}"
