"""Django settings for the CPIMS platform.

Everything that differs between machines comes from the environment:
DATABASE_URL (required; the launcher sets it to its embedded PostgreSQL when
none is given), REDIS_URL (optional: without it Celery tasks run in-process),
CPIMS_BASE_DOMAIN, DJANGO_SECRET_KEY, CPIMS_DEBUG, CPIMS_SECURE, CPIMS_DB_POOLER.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from cpims.database import DatabaseURLError, database_from_url, planner_options
from tenants.capabilities import DeclaredBeatSchedule

PROJECT_PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PROJECT_PACKAGE_DIR.parent.parent  # repository root
LOCAL_DIR = Path(os.environ.get("CPIMS_LOCAL_DIR", BASE_DIR / ".local"))


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _local_secret_key() -> str:
    """A per-checkout secret kept in the local data folder (never in the repository)."""
    LOCAL_DIR.mkdir(parents=True, exist_ok=True)
    path = LOCAL_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _local_secret_key()
# Key rotation (docs/security.md): previous keys, comma-separated, still accepted for a while.
SECRET_KEY_FALLBACKS = [
    key for key in os.environ.get("DJANGO_SECRET_KEY_FALLBACKS", "").split(",") if key
]
CPIMS_PSEUDONYM_KEY = os.environ.get("CPIMS_PSEUDONYM_KEY", "")  # platform/cpims/pseudonyms.py
DEBUG = _env_flag("CPIMS_DEBUG")
SECURE = _env_flag("CPIMS_SECURE")  # behind HTTPS in production

# Routing: <slug>.<BASE_DOMAIN> is an organisation's workspace, BASE_DOMAIN the
# platform site. <slug>.localhost always works locally (browsers resolve it).
BASE_DOMAIN = os.environ.get("CPIMS_BASE_DOMAIN", "localhost").lower().strip(".")
PUBLIC_HOSTS = {BASE_DOMAIN, "localhost", "127.0.0.1", "[::1]", "testserver"}
ALLOWED_HOSTS = [*PUBLIC_HOSTS, f".{BASE_DOMAIN}", ".localhost"]
ALLOWED_HOSTS += [h for h in os.environ.get("CPIMS_EXTRA_HOSTS", "").split(",") if h]
TENANT_ROUTE_CACHE_SECONDS = float(os.environ.get("CPIMS_TENANT_ROUTE_CACHE_SECONDS", "10"))
# Registry look-ups per workspace member (shared_registry/access.py; docs/security.md)
REGISTRY_LOOKUPS_PER_MINUTE = int(os.environ.get("CPIMS_REGISTRY_LOOKUPS_PER_MINUTE", "30"))
REGISTRY_LOOKUPS_PER_DAY = int(os.environ.get("CPIMS_REGISTRY_LOOKUPS_PER_DAY", "1000"))

# --- Applications: public (shared) and per-organisation (tenant) -------------
SHARED_APPS = [
    "django_tenants",
    "cpims",
    "tenants",
    "audit",
    "provisioning",
    "national_statistics",
    "shared_registry",
    "sharing",
    "integrations",  # DHIS2 push and reference data (issue 20)
    "webhooks",  # outbound webhooks (issue 20)
    "intake",  # reports from the 116 helpline and other sources (issue 20)
    "case_apps.lists",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "auditlog",
    "constance",
    "django_htmx",
    "ninja",
]
TENANT_APPS = [
    "case_apps.outbox",
    "case_apps.cases",
    "case_apps.ovc",  # OVC programme of implementing partners (issue 8)
    "case_apps.institutions",  # residents of CCIs and statutory institutions (issue 19)
    "case_apps.family_care",  # alternative family care (issue 19)
    "case_apps.field",  # offline field capture and its approval (issue 21)
    "auditlog",  # also shared: every schema logs its own writes (cpims.placement BOTH)
    "audit.workspace",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Organisation"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
TENANT_LIMIT_SET_CALLS = True
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
ROOT_URLCONF = "cpims.urls_tenant"
PUBLIC_SCHEMA_URLCONF = "cpims.urls_public"

MIDDLEWARE = [
    "tenants.api_errors.ApiAnswersJsonMiddleware",  # /api/: text checks, JSON errors (issue 14)
    "tenants.middleware.OrganisationRoutingMiddleware",
    "cpims.middleware.HtmxVaryMiddleware",  # fragments never stand in for pages (docs/ui.md)
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (issue 7)
    "cpims.middleware.StaticFilesMiddleware",  # whitenoise, hashed files cached a year
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.api.ApiGuardMiddleware",  # API tokens and API rate limits (issue 7)
    "tenants.middleware.WorkspaceAccessMiddleware",
    "cpims.idempotency.IdempotencyMiddleware",  # Idempotency-Key on API POSTs (issue 16)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "audit.security.SessionTimeoutMiddleware",  # idle and absolute time-outs
    "audit.security.MfaRequiredMiddleware",  # admins and DCS HQ set up MFA first
    "django_htmx.middleware.HtmxMiddleware",
    "audit.middleware.AuditMiddleware",  # auditlog actor + organisation and request
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cpims.context_processors.workspace",
            ],
        },
    }
]

WSGI_APPLICATION = "cpims.wsgi.application"

# --- Database ----------------------------------------------------------------
_database_url = os.environ.get("DATABASE_URL")
if not _database_url:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Start the platform with `python3 platform/ctl.py run` "
        "(it starts an embedded PostgreSQL) or set DATABASE_URL=postgresql://user@host/db."
    )
try:
    DATABASES = {"default": database_from_url(_database_url)}
    DATABASES["default"]["OPTIONS"] = planner_options(
        DATABASES["default"]["OPTIONS"], os.environ.get("CPIMS_PG_RANDOM_PAGE_COST", "1.1")
    )
except (DatabaseURLError, ValueError) as exc:
    raise ImproperlyConfigured(str(exc)) from exc
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CPIMS_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("CPIMS_TEST_DATABASE", "test_cpims")}
# Behind PgBouncer in transaction pooling mode (deploy/, docs/cluster.md): the search path is
# set in every transaction, not once per connection, and no server-side cursor outlives one.
CPIMS_DB_POOLER = os.environ.get("CPIMS_DB_POOLER", "").strip().lower()
if CPIMS_DB_POOLER not in {"", "transaction"}:
    raise ImproperlyConfigured(
        f"CPIMS_DB_POOLER must be empty or 'transaction' (got {CPIMS_DB_POOLER!r})"
    )
if CPIMS_DB_POOLER == "transaction":
    DATABASES["default"]["ENGINE"] = "cpims.pooled_backend"
    DATABASES["default"]["POOLER"] = "transaction"
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    # A GET or HEAD in one transaction: the schema set once, one server session a request
    # (platform/cpims/request_transaction.py). First, so that routing and sessions are in it.
    MIDDLEWARE.insert(0, "cpims.request_transaction.ReadRequestTransactionMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Read replica (issue 22; platform/cpims/db_router.py, docs/scale-out.md) --------------
# Statistics, MER reports and exports read from DATABASE_REPLICA_URL when it is set, is
# reachable and is less than CPIMS_REPLICA_MAX_LAG_SECONDS behind; a member reads from the
# primary for that long after a write. Without it, every read stays on "default".
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "")
if _replica_url:
    try:
        DATABASES["replica"] = database_from_url(_replica_url)
        DATABASES["replica"]["OPTIONS"] = planner_options(
            {"connect_timeout": 3, **DATABASES["replica"]["OPTIONS"]},
            os.environ.get("CPIMS_PG_RANDOM_PAGE_COST", "1.1"),
        )
    except (DatabaseURLError, ValueError) as exc:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL: {exc}") from exc
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
CPIMS_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("CPIMS_REPLICA_MAX_LAG_SECONDS", "30"))
CPIMS_REPLICA_CHECK_SECONDS = float(os.environ.get("CPIMS_REPLICA_CHECK_SECONDS", "5"))
DATABASE_ROUTERS = ["cpims.db_router.ReplicaRouter", *DATABASE_ROUTERS]
_pin_after = MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")
MIDDLEWARE.insert(_pin_after, "cpims.db_router.ReadYourWritesMiddleware")  # read your writes

# --- Accounts (users live once, in public) -----------------------------------
AUTH_USER_MODEL = "tenants.User"
AUTHENTICATION_BACKENDS = [
    "audit.security.LockoutBackend",  # refuses locked accounts first (issue 7)
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "audit.security.LiveMinimumLengthValidator"},  # constance PASSWORD_MIN_LENGTH
]
ACCOUNT_ADAPTER = "tenants.adapters.WorkspaceAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Secrets encrypted at rest, and a set-up secret that survives a reload (platform/cpims/mfa.py).
MFA_ADAPTER = "cpims.mfa.EncryptingMFAAdapter"
MFA_FORMS = {"activate_totp": "cpims.mfa.StableSecretActivateTOTPForm"}
MFA_TOTP_TOLERANCE = 1  # one 30-second step either side: phone clocks drift
# Keys for authenticator secrets, newest first (comma-separated); SECRET_KEY and its fallbacks
# are tried after them, so set CPIMS_MFA_KEYS before rotating SECRET_KEY (docs/ui.md).
CPIMS_MFA_KEYS = [key for key in os.environ.get("CPIMS_MFA_KEYS", "").split(",") if key]
# Sessions and CSRF cookies are host-only (no Domain attribute), so a browser
# never sends one organisation's cookie to another's host; the session is also
# bound to the host it was made on (tenants.middleware).
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and _env_flag("CPIMS_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "cpims.views.csrf_failure"  # branded and translated (issue 14)
X_FRAME_OPTIONS = "DENY"
# Content security policy (django-csp): everything from this origin only, no inline script but
# the one inline handler the templates use (by hash). CPIMS_CSP_REPORT_ONLY=1 only reports.
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # the hash is of the inline handler this.form.submit()
        "script-src": [
            "'self'",
            "'unsafe-hashes'",
            "'sha256-osjxnKEPL/pQJbFk1dKsF7PYFmTyMWGmVSiL9inhxJY='",
        ],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],  # forms post to this origin only (issue 14)
    }
}
if _env_flag("CPIMS_CSP_REPORT_ONLY"):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE  # every organisation's host is a subdomain

# --- Internationalisation ----------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("sw", "Kiswahili")]
# Our catalogue first, then Kiswahili for third-party apps that ship none (allauth).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "vendor"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the switch is remembered; sign-in re-applies it
TIME_ZONE = "Africa/Nairobi"
USE_I18N = True
USE_TZ = True
# Dates look the same on every screen: "9 Mar 2014", "9 Mar 2014 14:05" (month names
# translated); Y-m-d only in exports and API answers (docs/ui.md, *Dates*).
FORMAT_MODULE_PATH = ["cpims.formats"]
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"

# --- Static files: served by the app itself (whitenoise), no CDN -------------
STATIC_URL = "/static/"
STATIC_ROOT = LOCAL_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
# Files are served from STATIC_ROOT under hashed names, compressed, cached for a year: run
# collectstatic after every change (the launcher and the test suite do; docs/ui.md).
# CPIMS_DEBUG serves the source folders directly instead, under their plain names.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = LOCAL_DIR / "media"

# --- Celery: Redis when REDIS_URL is given, in-process otherwise -------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The cluster (CPIMS_CELERY_ACKS_LATE=1, docs/cluster.md): a task is acknowledged after it
# ran, and put back when the process running it dies, so every task must be idempotent.
if _env_flag("CPIMS_CELERY_ACKS_LATE"):
    CELERY_TASK_ACKS_LATE = True
    CELERY_TASK_REJECT_ON_WORKER_LOST = True
    CELERY_WORKER_PREFETCH_MULTIPLIER = 1
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
# The beat schedule is each app's declared periodic tasks (``periodic_tasks`` in its
# capabilities.py; docs/architecture.md), built when first read, after the apps are loaded.
CELERY_BEAT_SCHEDULE = DeclaredBeatSchedule()

# A row awaiting the sealer longer than this is reported by verify_audit as never sealed.
CPIMS_AUDIT_SEAL_GRACE_SECONDS = int(os.environ.get("CPIMS_AUDIT_SEAL_GRACE_SECONDS", "600"))
# A transaction writing only access entries commits without waiting for the disk (0: wait).
CPIMS_AUDIT_ACCESS_ASYNC_COMMIT = os.environ.get("CPIMS_AUDIT_ACCESS_ASYNC_COMMIT", "0") == "1"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}

# Outbound webhooks (issue 20): private and loopback targets are refused unless this is true
# (DEBUG, the test suite and the demo's local stand-in receiver).
CPIMS_WEBHOOKS_ALLOW_PRIVATE = _env_flag("CPIMS_WEBHOOKS_ALLOW_PRIVATE", DEBUG)
# Webhook signing secrets are encrypted under keys derived from these (newest first), then
# from SECRET_KEY and its fallbacks (cpims.ciphers).
CPIMS_WEBHOOK_KEYS = [k for k in os.environ.get("CPIMS_WEBHOOK_KEYS", "").split(",") if k]

# --- Live settings (django-constance; no billing) ----------------------------
CONSTANCE_BACKEND = "constance.backends.database.DatabaseBackend"
CONSTANCE_CONFIG = {
    "PLATFORM_NOTICE": ("", "A notice shown at the top of every page (empty for none)", str),
    # Account protections (audit.security; docs/security.md)
    "MFA_REQUIRED_FOR_ADMINS": (True, "DCS HQ roles and organisation admins must set up MFA", bool),
    "LOCKOUT_FAILURES": (5, "Failed sign-ins of one account before it is locked", int),
    "LOCKOUT_MINUTES": (15, "Minutes a locked account stays locked (and the counting window)", int),
    "SESSION_IDLE_MINUTES": (30, "Sign out a session unused for this long", int),
    "SESSION_ABSOLUTE_HOURS": (12, "Sign out every session this long after sign-in", int),
    "PASSWORD_MIN_LENGTH": (12, "Minimum password length", int),
    "API_REQUESTS_PER_MINUTE": (120, "API requests per minute per token or user", int),
    "INTAKE_REQUESTS_PER_MINUTE": (
        6000,
        "Intake API requests per minute per intake client (a 116 helpline sends in bursts)",
        int,
    ),
    # Onboarding (provisioning/pool.py; docs/onboarding.md)
    "PROVISIONING_POOL_SIZE": (3, "Workspace schemas kept ready for the next approvals", int),
}

EMAIL_BACKEND = os.environ.get(
    "CPIMS_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = LOCAL_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("CPIMS_FROM_EMAIL", "CPIMS <no-reply@cpims.localhost>")

AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CPIMS_LOG_LEVEL", "WARNING")},
}

# API callers with their own rate-limit bucket (audit/api.py): an intake client by its key
CPIMS_API_RATE_CALLERS = ("intake.api_rate.intake_rate_caller",)
