"""Settings for the test suite: the real ones, with test-only relaxations."""

from cpims.settings import *  # noqa: F403

# Many sign-ins from one address would otherwise hit allauth's rate limits.
ACCOUNT_RATE_LIMITS = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TENANT_ROUTE_CACHE_SECONDS = 60
