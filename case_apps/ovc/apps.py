from django.apps import AppConfig


class OvcConfig(AppConfig):
    """The OVC programme; what it brings to the platform is declared in capabilities.py."""

    name = "case_apps.ovc"
    label = "ovc"
    verbose_name = "OVC programme"
    placement = "tenant"
