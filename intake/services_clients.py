"""Intake clients: created and rotated by DCS headquarters' national administrators, and the
check of a signed request (key, timestamp, signature, nonce)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from intake import keys, signing
from intake.models import PREVIOUS_SECRET_HOURS, IntakeClient, IntakeNonce, SourceKind
from tenants.actor import Actor
from tenants.policy import Permission
from webhooks.events import INTAKE_OUTCOME
from webhooks.services import subscription_create


class SignatureRefused(Exception):
    """A request whose credentials do not hold: the API answers 401 (409 for a replay)."""

    def __init__(self, message: str, status: int = 401):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class ClientCreated:
    """A new client, its secret (for signing requests) and, with a callback URL, the secret
    that signs the outcome webhooks it receives: both in clear, shown once."""

    client: IntakeClient
    secret: str
    callback_secret: str = ""


def _subscription_for(client: IntakeClient, actor: Actor) -> tuple[int | None, str]:
    """The platform-owned webhook subscription to intake.outcome for the client's callback
    URL (webhooks app) and its signing secret; none without a callback URL."""
    if not client.callback_url:
        return None, ""
    try:
        subscription, secret = subscription_create(
            organisation=None,
            url=client.callback_url,
            events=[INTAKE_OUTCOME],
            created_by=actor.user,
            description=f"Intake outcomes for {client.name}"[:200],
        )
    except ValidationError as error:
        raise ValidationError(
            {"callback_url" if k == "url" else k: v for k, v in error.message_dict.items()}
        ) from None
    return subscription.pk, secret


@transaction.atomic
def intake_client_create(
    *, actor: Actor, name: str, source_kind: str, callback_url: str = ""
) -> ClientCreated:
    """A new client, with its outcome webhook subscription when it gives a callback URL."""
    actor.require(Permission.MANAGE_INTAKE)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [gettext("Give the client a name.")]
    if source_kind not in SourceKind.values:
        errors["source_kind"] = [gettext("Choose the source.")]
    if errors:
        raise ValidationError(errors)
    secret = keys.secret_new()
    client = IntakeClient.objects.create(
        name=name.strip(),
        source_kind=source_kind,
        key_id=keys.key_id_new(),
        secret_encrypted=keys.secret_encrypt(secret),
        callback_url=callback_url,
        created_by=actor.user,
    )
    client.subscription_id, callback_secret = _subscription_for(client, actor)
    if client.subscription_id:
        client.save(update_fields=["subscription_id"])
    return ClientCreated(client, secret, callback_secret)


@transaction.atomic
def intake_client_rotate(*, actor: Actor, client: IntakeClient) -> str:
    """A new secret; the previous one is still accepted for 24 hours, so the source can
    change its configuration without downtime. Returns the new secret, shown once."""
    actor.require(Permission.MANAGE_INTAKE)
    client = IntakeClient.objects.select_for_update().get(pk=client.pk)
    secret = keys.secret_new()
    client.previous_secret_encrypted = client.secret_encrypted
    client.previous_valid_until = timezone.now() + timedelta(hours=PREVIOUS_SECRET_HOURS)
    client.secret_encrypted = keys.secret_encrypt(secret)
    client.rotated_at = timezone.now()
    client.save()
    return secret


@transaction.atomic
def intake_client_set_active(*, actor: Actor, client: IntakeClient, active: bool) -> None:
    actor.require(Permission.MANAGE_INTAKE)
    IntakeClient.objects.filter(pk=client.pk).update(is_active=active)


def intake_client_authenticate(
    *, key_id: str, timestamp: str, nonce: str, signature: str, body: bytes
) -> IntakeClient:
    """The client that signed this request, or ``SignatureRefused``. The nonce is recorded
    (a second use is a replay, 409) only once the signature holds."""
    if not (key_id and timestamp and nonce and signature):
        raise SignatureRefused(
            "Sign the request: X-CPIMS-Key, X-CPIMS-Timestamp, X-CPIMS-Nonce and "
            "X-CPIMS-Signature are all required."
        )
    if len(nonce) > 64 or len(key_id) > 40:
        raise SignatureRefused("The key or the nonce is too long.")
    if not signing.timestamp_fresh(timestamp, time.time()):
        raise SignatureRefused(
            f"X-CPIMS-Timestamp is not within {signing.WINDOW_SECONDS} seconds of now."
        )
    client = IntakeClient.objects.filter(key_id=key_id, is_active=True).first()
    if client is None or not _signed_by(client, timestamp, nonce, body, signature):
        raise SignatureRefused("The signature does not match.")
    try:
        with transaction.atomic():
            IntakeNonce.objects.create(client=client, nonce=nonce)
    except IntegrityError:
        raise SignatureRefused("This nonce was used already: a replay is refused.", 409) from None
    return client


def _signed_by(client: IntakeClient, timestamp: str, nonce: str, body: bytes, header: str) -> bool:
    secrets = [keys.secret_decrypt(client.secret_encrypted)]
    if client.previous_secret_encrypted and (client.previous_valid_until or timezone.now()) > (
        timezone.now()
    ):
        secrets.append(keys.secret_decrypt(client.previous_secret_encrypted))
    return any(signing.signature_matches(s, timestamp, nonce, body, header) for s in secrets)


def intake_nonces_prune() -> int:
    """Nonces older than twice the window can no longer be replayed (the timestamp would
    be refused first): removed."""
    before = timezone.now() - timedelta(seconds=2 * signing.WINDOW_SECONDS)
    deleted, _ = IntakeNonce.objects.filter(seen_at__lt=before).delete()
    return deleted
