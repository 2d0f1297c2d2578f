from django.apps import AppConfig


class OvcConfig(AppConfig):
    name = "case_apps.ovc"
    label = "ovc"
    verbose_name = "OVC programme"
    placement = "tenant"

    def ready(self) -> None:
        from case_apps.ovc import retention, subject_access

        retention.register()  # exited enrolments' retention period (audit.retention)
        subject_access.register()  # everything held on a person, for data subject requests
        from case_apps.outbox.services import register_person_sources
        from case_apps.ovc.services import person_sources

        register_person_sources(person_sources)  # a merge restates the child's facts

        from case_apps.ovc import links

        links.register()  # an enrolment or household links its organisation to the person

        from case_apps.ovc import access_kinds

        access_kinds.register()  # its reads in the access log by name (audit.access_kinds)
