"""Settings for the test suite: the real ones, with test-only relaxations."""

from urllib.parse import urlsplit, urlunsplit

from cpims.settings import *  # noqa: F403

# Many sign-ins from one address would otherwise hit allauth's rate limits.
ACCOUNT_RATE_LIMITS = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TENANT_ROUTE_CACHE_SECONDS = 60
# Browser journeys sign admins in with a password only: required MFA is off by default in the
# test suite; tests/audit turns it on (constance.test.override_config) to prove enforcement.
CONSTANCE_CONFIG = {
    **CONSTANCE_CONFIG,  # noqa: F405
    "MFA_REQUIRED_FOR_ADMINS": (False, "MFA required (off by default in tests only)", bool),
}
# No sealer runs beside the suite: rows the session's set-up (and browser tests) commit stay
# queued for the whole run, and must not read as "never sealed" in a long run.
CPIMS_AUDIT_SEAL_GRACE_SECONDS = 86400
# The webhook tests deliver to a local stand-in receiver on 127.0.0.1.
CPIMS_WEBHOOKS_ALLOW_PRIVATE = True

# Parallel test workers (pytest-xdist: gw0, gw1, ...) each have their own test database
# (pytest-django adds the suffix) and their own Redis database, so one worker's Celery worker
# never takes the tasks another worker's test sent.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # noqa: F405
if REDIS_URL and _XDIST_WORKER.startswith("gw"):  # noqa: F405
    _redis = urlsplit(REDIS_URL)  # noqa: F405
    REDIS_URL = urlunsplit(_redis._replace(path=f"/{1 + int(_XDIST_WORKER[2:])}"))
    CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL
