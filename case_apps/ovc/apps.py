from django.apps import AppConfig


class OvcConfig(AppConfig):
    name = "case_apps.ovc"
    label = "ovc"
    verbose_name = "OVC programme"
    placement = "tenant"
