"""Which models django-auditlog records."""

from auditlog.registry import auditlog
from django.apps import apps

PLATFORM_MODELS = ("tenants.Organisation", "tenants.Domain", "tenants.Membership")
# Users: record role and status changes, never password hashes or login times.
USER_EXCLUDED_FIELDS = ["password", "last_login"]


def register_platform_models() -> None:
    for label in PLATFORM_MODELS:
        model = apps.get_model(label)
        if not auditlog.contains(model):
            auditlog.register(model)
    user_model = apps.get_model("tenants.User")
    if not auditlog.contains(user_model):
        auditlog.register(user_model, exclude_fields=USER_EXCLUDED_FIELDS)
