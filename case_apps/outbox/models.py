"""Events written in the same transaction as the change they describe (ARCHITECTURE 4)."""

from django.db import models
from django.utils import timezone

from cpims.models import IdempotentAnswer


class OutboxEvent(models.Model):
    """One reportable change (case opened, category added, follow-up, referral, closure...).

    ``payload`` holds de-identified dimensions only (category, sex, age band,
    county, sub-county, ward, programme): never names or identifiers.
    """

    # The event's type and the version of its payload schema (case_apps/outbox/schemas.py).
    kind = models.CharField(max_length=64)
    version = models.PositiveSmallIntegerField(default=1, db_default=1)
    occurred_at = models.DateTimeField(default=timezone.now)
    payload = models.JSONField(default=dict)
    # What the fact is about (``followup:42``): a later event of the same source restates it
    # (its fact is replaced), a ``retracted`` event withdraws it. Blank: a fact on its own.
    source = models.CharField(max_length=80, blank=True, db_default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # The event's place in the organisation's event stream, in commit order: assigned after
    # the event's transaction committed, by the sealing step (``outbox_seal``), from the
    # schema's sequence. Blank until then (readers of the stream see sealed events only).
    position = models.BigIntegerField(null=True, blank=True, editable=False)
    # Set when national statistics drained the event into facts (kept, not deleted).
    drained_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["position"],
                condition=models.Q(position__isnull=False),
                name="outbox_position_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(position__isnull=True),
                name="outbox_unsealed_idx",
            ),
            models.Index(fields=["occurred_at"], name="outbox_occurred_idx"),
            models.Index(
                fields=["id"],
                condition=models.Q(drained_at__isnull=True),
                name="outbox_waiting_idx",
            ),
            models.Index(
                fields=["source"],
                opclasses=["varchar_pattern_ops"],
                condition=~models.Q(source=""),
                name="outbox_source_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.occurred_at:%Y-%m-%d}"


class IdempotentRequest(IdempotentAnswer):
    """The workspace API's answers kept for their ``Idempotency-Key``
    (platform/cpims/idempotency.py), in the organisation's own schema: they hold what the
    organisation's records say."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user_id", "key"], name="one_answer_per_idempotency_key"
            )
        ]
