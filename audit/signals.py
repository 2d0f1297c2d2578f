"""Signal receivers of the audit app: sign-in lockout counters and the MFA session flag."""

import time

from allauth.mfa.signals import authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from audit import security
from tenants.reads import record_read


@receiver(user_login_failed)
def _count_failed_sign_in(sender, credentials, request=None, **kwargs):
    security.sign_in_failed(email=security._email(credentials))


@receiver(user_logged_in)
def _reset_failed_sign_ins(sender, request, user, **kwargs):
    security.sign_in_succeeded(email=(user.email or "").lower())
    if request is not None and hasattr(request, "session"):
        now = int(time.time())  # the time-outs count from this sign-in
        request.session[security.SESSION_STARTED_KEY] = now
        request.session[security.SESSION_SEEN_KEY] = now
        request.session.pop(security.MFA_SESSION_KEY, None)


authenticator_removed.connect(security.mfa_removed, dispatch_uid="cpims-mfa-removed")


def _log_read(sender, actor, record_kind, record_id, purpose="", request=None, **kwargs):
    """Reads announced by lower parts (the registry) go into the access log."""
    from audit.services import access_record

    access_record(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        record_kind=record_kind,
        record_id=record_id,
        purpose=purpose,
        request=request,
    )


record_read.connect(_log_read, dispatch_uid="cpims-access-log-reads")
