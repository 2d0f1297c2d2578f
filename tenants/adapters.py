"""allauth hooks: on an organisation's host only its members may sign in."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants.policy import Permission, may


class WorkspaceAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are made only by the organisation sign-up on the platform site (which marks
        # its request) and by accepting an invitation; allauth's own sign-up page stays shut.
        return getattr(request, "organisation", None) is None and bool(
            getattr(request, "cpims_organisation_signup", False)
        )

    def pre_login(self, request: HttpRequest, user, **kwargs) -> HttpResponse | None:
        organisation = getattr(request, "organisation", None)
        if (
            organisation is not None
            and user.is_active
            and not may(user, Permission.ENTER_WORKSPACE, organisation=organisation)
        ):
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return render(
                request,
                "errors/not_a_member.html",
                {"organisation": organisation, "refused_email": user.email},
                status=403,
            )
        return super().pre_login(request, user, **kwargs)
