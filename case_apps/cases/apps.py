from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Case management; what it brings to the platform is declared in capabilities.py."""

    name = "case_apps.cases"
    label = "cases"
    verbose_name = "Case management"
    placement = "tenant"

    def ready(self) -> None:
        # the sender's case record sheet follows its referrals to other organisations
        from case_apps.cases.transfers import referral_status_followed
        from sharing.events import referral_status_changed

        referral_status_changed.connect(
            referral_status_followed, dispatch_uid="cases.referral_status_followed"
        )
