"""Account protections: sign-in lockout, required multi-factor sign-in, session time-outs and
live password rules. Thresholds are django-constance live settings (settings.CONSTANCE_CONFIG)."""

from __future__ import annotations

import time
from datetime import timedelta

from constance import config
from constance.signals import config_updated
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.models import SignInThrottle
from tenants.policy import mfa_required

LIVE_SECONDS = 10.0  # how long a process keeps a live setting before reading it again
_live_cache: dict[str, tuple[float, object]] = {}


def live(name: str):
    """A constance live setting, read at most every LIVE_SECONDS per process (so the checks
    on every request cost no query); a change made in this process is seen at once."""
    now = time.monotonic()
    hit = _live_cache.get(name)
    if hit is not None and now - hit[0] < LIVE_SECONDS:
        return hit[1]
    # Read synchronously even when an event loop runs in this thread (constance would hand
    # back an awaitable proxy there).
    value = config._get_sync_value(name, settings.CONSTANCE_CONFIG[name][0])
    _live_cache[name] = (now, value)
    return value


def _forget_live_setting(sender=None, key=None, **kwargs) -> None:
    """A setting changed in this process: forget that one (constance also "changes" a
    setting when it first stores its default, inside ``live`` itself)."""
    if key is None:
        _live_cache.clear()
    else:
        _live_cache.pop(key, None)


config_updated.connect(_forget_live_setting, dispatch_uid="cpims-live-settings")


# --- Lockout after repeated failed sign-ins ---------------------------------------------------
def _email(credentials: dict) -> str:
    value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    return str(value or "").strip().lower()[:254]


def account_locked(email: str) -> bool:
    if not email:
        return False
    locked_until = (
        SignInThrottle.objects.filter(email=email).values_list("locked_until", flat=True).first()
    )
    return locked_until is not None and locked_until > timezone.now()


def sign_in_failed(*, email: str) -> SignInThrottle | None:
    """Count a failed sign-in; lock the account once the live threshold is reached."""
    if not email:
        return None
    now = timezone.now()
    window = timedelta(minutes=live("LOCKOUT_MINUTES"))
    with transaction.atomic():
        throttle, _created = SignInThrottle.objects.select_for_update().get_or_create(email=email)
        if throttle.locked_until and throttle.locked_until > now:
            return throttle  # already locked: the lock is not extended
        if throttle.last_failure_at is None or now - throttle.last_failure_at > window:
            throttle.failures = 0
        throttle.failures += 1
        throttle.last_failure_at = now
        if throttle.failures >= live("LOCKOUT_FAILURES"):
            throttle.locked_until = now + window
            throttle.failures = 0
        throttle.save()
    return throttle


def sign_in_succeeded(*, email: str) -> None:
    SignInThrottle.objects.filter(email=email).delete()


class LockoutBackend:
    """First in AUTHENTICATION_BACKENDS: refuses every backend for a locked account (Django
    then reports the attempt as failed, with the usual message: nothing is revealed). It has
    no ``get_user``, so sessions never name it as their backend."""

    def authenticate(self, request, **credentials):
        if account_locked(_email(credentials)):
            raise PermissionDenied
        return None

    # No get_user: sessions always name the backend that really authenticated the user.


# --- Required multi-factor sign-in -------------------------------------------------------------
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/health/", "/i18n/", "/favicon.ico")
MFA_SESSION_KEY = "cpims_mfa_ok"
MFA_RECHECK_SECONDS = 300  # a user not required to use MFA is checked again after this


def has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def must_set_up_mfa(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated or not live("MFA_REQUIRED_FOR_ADMINS"):
        return False
    checked = request.session.get(MFA_SESSION_KEY)
    if checked is True:
        return False  # has an authenticator (forgotten when one is removed)
    now = int(time.time())
    if isinstance(checked, int) and now - checked < MFA_RECHECK_SECONDS:
        return False  # not required, checked recently
    if not mfa_required(user):
        request.session[MFA_SESSION_KEY] = now
        return False
    if has_mfa(user):
        request.session[MFA_SESSION_KEY] = True
        return False
    return True


class MfaRequiredMiddleware:
    """DCS headquarters roles and organisation admins must have an authenticator: until they
    set one up, every page sends them to the set-up page and the API refuses them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and getattr(request, "auth_token", None) is None
            and must_set_up_mfa(request)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Multi-factor authentication must be set up first"}, status=403
                )
            # Only a page load is sent to the set-up page. Each GET of that page used to draw
            # a new secret, so a favicon or an htmx poll redirected there broke the set-up
            # (docs/ui.md); htmx is told to load it as a whole page instead of swapping it in.
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("mfa_activate_totp")
                return response
            if request.headers.get("Sec-Fetch-Dest", "document") not in ("document", "iframe"):
                return HttpResponse(status=403)
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def mfa_removed(sender, request=None, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_SESSION_KEY, None)


# --- Session time-outs -------------------------------------------------------------------------
SESSION_STARTED_KEY = "cpims_started"
SESSION_SEEN_KEY = "cpims_seen"


class SessionTimeoutMiddleware:
    """Signs out a session idle longer than SESSION_IDLE_MINUTES, or older than
    SESSION_ABSOLUTE_HOURS, whatever it does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        token = getattr(request, "auth_token", None)  # token requests carry no session
        if user is not None and user.is_authenticated and token is None:
            now = int(timezone.now().timestamp())
            started = request.session.get(SESSION_STARTED_KEY)
            seen = request.session.get(SESSION_SEEN_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = started = now
            idle = live("SESSION_IDLE_MINUTES") * 60
            absolute = live("SESSION_ABSOLUTE_HOURS") * 3600
            if (seen is not None and now - seen > idle) or now - started > absolute:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "Session expired"}, status=401)
                return redirect_to_login(request.get_full_path())
            if seen is None or now - seen >= 30:  # write the session at most twice a minute
                request.session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


# --- Password rules ------------------------------------------------------------------------------
class LiveMinimumLengthValidator:
    """The minimum password length, from the live setting PASSWORD_MIN_LENGTH."""

    def validate(self, password, user=None):
        minimum = live("PASSWORD_MIN_LENGTH")
        if len(password or "") < minimum:
            raise ValidationError(
                ngettext(
                    "This password is too short. It must contain at least %(min)d character.",
                    "This password is too short. It must contain at least %(min)d characters.",
                    minimum,
                ),
                code="password_too_short",
                params={"min": minimum},
            )

    def get_help_text(self):
        return _("Your password must contain at least %(min)d characters.") % {
            "min": live("PASSWORD_MIN_LENGTH")
        }
