"""Intake of reports from outside: signed API clients per source, routing to the office of
the place named, and the office's triage (issue 20, part 1)."""

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Intake of reports"
    placement = "public"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # audit/registry.py registers the apps it knows; intake registers its own models the
        # same way (the client's secrets never enter the change log)
        from auditlog.registry import auditlog

        from intake.models import IntakeClient, IntakeReport, IntakeReportEvent

        if not auditlog.contains(IntakeClient):
            auditlog.register(
                IntakeClient, exclude_fields=["secret_encrypted", "previous_secret_encrypted"]
            )
        # the platform's change log (DCS headquarters) keeps who, when and status: never
        # what a report says about the child or the reporter
        private = [
            "narrative",
            "child_first_name",
            "child_other_names",
            "child_surname",
            "child_date_of_birth",
            "reporter_name",
            "reporter_phone",
            "reporter_relationship",
            "decision_reason",
        ]
        if not auditlog.contains(IntakeReport):
            auditlog.register(IntakeReport, exclude_fields=private)
        if not auditlog.contains(IntakeReportEvent):
            auditlog.register(IntakeReportEvent, exclude_fields=["reason"])
