from django.apps import AppConfig


class SharedRegistryConfig(AppConfig):
    name = "shared_registry"
    verbose_name = "Shared registry"
    placement = "public"
    default_auto_field = "django.db.models.BigAutoField"
