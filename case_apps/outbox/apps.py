from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "case_apps.outbox"
    label = "outbox"
    verbose_name = "Outbox of reporting events"
    placement = "tenant"
