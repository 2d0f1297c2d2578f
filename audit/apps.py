from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit"
    placement = "public"

    def ready(self) -> None:
        from audit.registry import register_platform_models

        register_platform_models()
