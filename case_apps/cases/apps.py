from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "case_apps.cases"
    label = "cases"
    verbose_name = "Case management"
    placement = "tenant"
