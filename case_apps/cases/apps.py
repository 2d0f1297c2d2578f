from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Case management; what it brings to the platform is declared in capabilities.py."""

    name = "case_apps.cases"
    label = "cases"
    verbose_name = "Case management"
    placement = "tenant"
