from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "case_apps.cases"
    label = "cases"
    verbose_name = "Case management"
    placement = "tenant"

    def ready(self) -> None:
        from case_apps.cases.sharing import register

        register()  # the child's case summary, shareable through the sharing gateway
        from case_apps.cases import retention, subject_access

        retention.register()  # closed cases' retention period (audit.retention)
        subject_access.register()  # everything held on a person, for data subject requests
        from case_apps.cases.facts import person_sources
        from case_apps.outbox.services import register_person_sources

        register_person_sources(person_sources)  # a merge restates the child's facts

        from case_apps.cases import links

        links.register()  # a case links its organisation to the child and caregivers

        from case_apps.cases import access_kinds

        access_kinds.register()  # its reads in the access log by name (audit.access_kinds)
