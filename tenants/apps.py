from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Organisations and accounts"
    placement = "public"

    def ready(self) -> None:
        from . import (
            migration_executor,  # noqa: F401  (registers --executor=workspaces)
            signals,  # noqa: F401  (route cache invalidation, session binding)
        )
