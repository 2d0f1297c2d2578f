from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Case management; what it brings to the platform is declared in capabilities.py."""

    name = "case_apps.cases"
    label = "cases"
    verbose_name = "Case management"
    placement = "tenant"

    def ready(self) -> None:
        # the supervisors an approval is routed to are told when it is asked for (teams)
        from django.db.models.signals import post_save

        from case_apps.cases.models import ApprovalRequest
        from case_apps.cases.services.teams import on_approval_saved

        post_save.connect(
            on_approval_saved, sender=ApprovalRequest, dispatch_uid="cases-approval-routed"
        )
        # the sender's case record sheet follows its referrals to other organisations
        from case_apps.cases.transfers import referral_status_followed
        from sharing.events import referral_status_changed

        referral_status_changed.connect(
            referral_status_followed, dispatch_uid="cases.referral_status_followed"
        )
