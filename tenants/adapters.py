"""allauth hooks: on an organisation's host only its members may sign in, and that is said
only after every other factor (password, then the second factor) has been given."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.stages import LoginStage
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from tenants.policy import Permission, may

EMAIL_SUBJECT_PREFIX = "CPIMS Kenya: "

MEMBERSHIP_STAGE = "tenants.adapters.WorkspaceMembershipStage"


class WorkspaceMembershipStage(LoginStage):
    """The last sign-in stage: on an organisation's host, refuse a non-member. It runs after
    allauth's own stages (the second factor among them), so nothing about membership is
    revealed to someone who knows only the password."""

    key = "cpims_workspace_membership"

    def handle(self):
        organisation = getattr(self.request, "organisation", None)
        user = self.login.user
        if (
            organisation is not None
            and user is not None
            and user.is_active
            and not may(user, Permission.ENTER_WORKSPACE, organisation=organisation)
        ):
            response = render(
                self.request,
                "errors/not_a_member.html",
                {"organisation": organisation, "refused_email": user.email},
                status=403,
            )
            return response, False  # allauth clears the pending sign-in
        return None, True


class WorkspaceAccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject) -> str:
        """Every email says it comes from CPIMS Kenya (not from a host name)."""
        return EMAIL_SUBJECT_PREFIX + str(subject)

    def get_email_verification_redirect_url(self, email_address) -> str:
        """After confirming the address the applicant continues with their applications:
        at once when signed in, else through the sign-in page (never the closed sign-up)."""
        if getattr(self.request, "organisation", None) is not None:
            return super().get_email_verification_redirect_url(email_address)
        mine = reverse("onboarding:mine")
        if self.request.user.is_authenticated:
            return mine
        return f"{reverse('account_login')}?{urlencode({'next': mine})}"

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are made only by the organisation sign-up on the platform site (which marks
        # its request) and by accepting an invitation; allauth's own sign-up page stays shut.
        return getattr(request, "organisation", None) is None and bool(
            getattr(request, "cpims_organisation_signup", False)
        )

    def get_login_stages(self) -> list[str]:
        return [*super().get_login_stages(), MEMBERSHIP_STAGE]
