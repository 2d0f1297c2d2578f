from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "case_apps.outbox"
    label = "outbox"
    verbose_name = "Outbox of reporting events"
    placement = "tenant"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from case_apps.outbox.merges import on_person_merge_saved

        post_save.connect(
            on_person_merge_saved,
            sender="shared_registry.PersonMerge",
            dispatch_uid="outbox-restate-on-merge",
        )
