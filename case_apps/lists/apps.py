from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "case_apps.lists"
    label = "lists"
    verbose_name = "Reference lists"
    placement = "public"
