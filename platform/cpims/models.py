"""Models of the platform project itself."""

from django.db import models


class IdempotentAnswer(models.Model):
    """A POST to the API made with an ``Idempotency-Key``: what it answered, replayed to a
    repeat of the same request (platform/cpims/idempotency.py), per user and key. Kept where the
    request's data lives: the platform site's in public (``IdempotentRequest`` below), a
    workspace's in its organisation's schema (``outbox.IdempotentRequest``)."""

    user_id = models.BigIntegerField()
    key = models.CharField(max_length=255)
    # sha256 of the method, path and body: the same key with another request is refused
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.user_id}/{self.key} -> {self.status}"


class IdempotentRequest(IdempotentAnswer):
    """The platform site's API answers kept for their ``Idempotency-Key``."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user_id", "key"], name="one_platform_answer_per_idempotency_key"
            )
        ]
