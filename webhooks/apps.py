"""Outbound webhooks (issue 20)."""

from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Outbound webhooks"
    placement = "public"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # sharing records every step of an agreement or a referral; its signal becomes the
        # webhook events (sharing knows nothing of webhooks)
        from sharing.events import step_recorded
        from webhooks.receivers import sharing_step_recorded

        step_recorded.connect(sharing_step_recorded, dispatch_uid="webhooks-sharing-steps")
