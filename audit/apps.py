"""Audit and access logs, their viewers and verification."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit"
    placement = "public"

    def ready(self) -> None:
        from audit import signals  # noqa: F401  (sign-in lockout)
        from audit.registry import register_all_models

        register_all_models()
