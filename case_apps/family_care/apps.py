from django.apps import AppConfig


class FamilyCareConfig(AppConfig):
    """Alternative family care; what it brings to the platform is in capabilities.py."""

    name = "case_apps.family_care"
    label = "family_care"
    verbose_name = "Alternative family care"
    placement = "tenant"
