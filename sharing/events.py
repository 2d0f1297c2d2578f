"""The plumbing agreements and referrals share: who acts, the event that records each step
(who, which side, when, why), the e-mail that tells those concerned, and the two refusals
every step may give (wrong status, no reason).

``sharing/services.py`` (agreements) and ``sharing/services_referrals.py`` (referrals and
transfers) both use it; each says only what its messages contain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.actor import Actor

# Sent (inside the step's transaction) after every step that changes a referral's status,
# with ``referral``: the sender's case app follows it in its own schema (its sheet's row of a
# referral to an organisation; see case_apps/cases/transfers.py), since sharing knows no
# case app and the receiver's steps run in the receiver's schema.
referral_status_changed = Signal()

# Sent (inside the step's transaction) after every step ``EventLog.record`` records, with
# ``subject`` (the agreement, referral or vacancy application) and ``event`` (its new event
# row): the outbound webhooks follow it (webhooks/receivers.py), since sharing knows no
# webhook.
step_recorded = Signal()


class NotAllowed(PermissionDenied):
    """The actor may not take this step on this agreement or referral."""


def as_actor(actor: Actor) -> Actor:
    """The actor of a service call, checked: only an ``Actor`` acts (one with no
    organisation acts from the platform site, and the policy then looks for their membership
    of the organisation at hand). A bare user is a programming error."""
    if not isinstance(actor, Actor):
        raise TypeError(f"sharing services take an Actor, not {type(actor).__name__}")
    return actor


def member_emails(organisation, roles: list[str]) -> list[str]:
    """The e-mail addresses of the organisation's active members holding any of ``roles``."""
    from tenants.models import Membership

    return list(
        Membership.objects.filter(
            organisation=organisation,
            is_active=True,
            user__is_active=True,
            roles__overlap=list(roles),
        ).values_list("user__email", flat=True)
    )


def event_mail_send(
    *, subject: str, event: Any, status: str, details: str, recipients: list[str]
) -> None:
    """After the commit, mail ``recipients`` (not the actor) that ``event`` (an agreement's
    or a referral's) happened: who, when, why, the status now, and ``details``."""
    recipients = sorted({r for r in recipients if r} - {event.actor_email})
    if not recipients:
        return
    body = (
        f"{event.get_kind_display()} by {event.actor_email or 'the platform'} on "
        f"{timezone.localtime(event.occurred_at):%d %b %Y %H:%M}.\n"
        + (f"Reason: {event.reason}\n" if event.reason else "")
        + f"Status now: {status}.\n{details}"
    )
    transaction.on_commit(
        lambda: send_mail(
            subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True
        )
    )


@dataclass(frozen=True)
class EventLog:
    """The history of one kind of subject: ``model`` rows pointing at the subject through
    ``subject_field``; ``mail(subject, event, recipients)`` tells those concerned."""

    model: type[models.Model]
    subject_field: str
    mail: Callable[[Any, Any, list[str]], None]

    def record(
        self,
        subject: Any,
        kind: str,
        *,
        actor: Actor | None,
        acting_as: str,
        reason: str = "",
        notify: list[str] | None = None,
    ) -> Any:
        """Record the step ``kind`` just taken on ``subject`` (and mail ``notify``)."""
        user = as_actor(actor).user if actor is not None else None
        event = self.model.objects.create(
            **{self.subject_field: subject},
            kind=kind,
            status_after=subject.status,
            actor=user,
            actor_email=user.email if user else "",
            acting_as=acting_as,
            reason=reason.strip(),
        )
        if notify is not None:
            self.mail(subject, event, notify)
        step_recorded.send(sender=self.model, subject=subject, event=event)
        return event


def require_status(current: str, allowed: tuple[str, ...], refusal: str) -> None:
    """Refuse (``refusal``, naming the subject and its status) unless ``current`` is allowed."""
    if current not in allowed:
        raise ValidationError(refusal)


def require_reason(reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": [_("Give a reason.")]})
