"""Governed sharing between organisations (issue 6)."""

from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = "Governed sharing"
    placement = "public"
    default_auto_field = "django.db.models.BigAutoField"
