"""Emails of the onboarding journey (Django's email framework; file backend when embedded)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from tenants.adapters import EMAIL_SUBJECT_PREFIX
from tenants.models import Invitation, Organisation


def _send(template: str, to: str, context: dict) -> None:
    subject = render_to_string(f"provisioning/email/{template}_subject.txt", context).strip()
    subject = EMAIL_SUBJECT_PREFIX + subject
    body = render_to_string(f"provisioning/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def application_decided(*, organisation: Organisation, status_url: str) -> None:
    """Tell the applicant that their organisation was approved or rejected."""
    if organisation.applicant is None:
        return
    template = "approved" if organisation.status != "rejected" else "rejected"
    _send(
        template,
        organisation.applicant.email,
        {"organisation": organisation, "status_url": status_url},
    )


def invitation_sent(*, invitation: Invitation, accept_url: str) -> None:
    _send("invitation", invitation.email, {"invitation": invitation, "accept_url": accept_url})
