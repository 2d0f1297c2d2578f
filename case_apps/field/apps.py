from django.apps import AppConfig


class FieldConfig(AppConfig):
    """Offline field capture (issue 21): forms captured on a device, synced, then approved."""

    name = "case_apps.field"
    label = "field"
    verbose_name = "Field capture"
    placement = "tenant"
