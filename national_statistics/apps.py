from django.apps import AppConfig


class NationalStatisticsConfig(AppConfig):
    name = "national_statistics"
    verbose_name = "National statistics"
    placement = "public"
