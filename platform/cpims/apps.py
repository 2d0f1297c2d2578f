from django.apps import AppConfig


class CpimsConfig(AppConfig):
    name = "cpims"
    verbose_name = "CPIMS platform"
    placement = "public"
