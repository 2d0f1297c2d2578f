from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "case_apps.cases"
    label = "cases"
    verbose_name = "Case management"
    placement = "tenant"

    def ready(self) -> None:
        from case_apps.cases.sharing import register

        register()  # the child's case summary, shareable through the sharing gateway
