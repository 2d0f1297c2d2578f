from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    """Residents of institutions; what it brings to the platform is in capabilities.py."""

    name = "case_apps.institutions"
    label = "institutions"
    verbose_name = "Institutions"
    placement = "tenant"
