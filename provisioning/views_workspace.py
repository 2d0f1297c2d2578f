"""Members pages on an organisation's workspace host: invitations, roles, revocation."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpims.form_errors import apply_errors
from provisioning import emails
from provisioning.forms import AcceptInvitationForm, InvitationForm, RolesForm
from provisioning.invitations import (
    invitation_accept,
    invitation_create,
    invitation_get_open,
    invitation_list_open,
    invitation_revoke,
    membership_change_roles,
    membership_list,
    membership_revoke,
)
from tenants.actor import actor_from_request
from tenants.models import Membership, Role, User
from tenants.policy import Permission, may


def members_manager_required(view):
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        organisation = getattr(request, "organisation", None)
        if organisation is None:
            raise Http404
        if not may(
            request.user,
            Permission.MANAGE_MEMBERS,
            organisation=organisation,
            membership=request.membership,
        ):
            return render(request, "errors/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


@members_manager_required
def members(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_create(
                actor=actor_from_request(request),
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            accept_url = request.build_absolute_uri(
                reverse("members:accept", args=[invitation.token])
            )
            emails.invitation_sent(invitation=invitation, accept_url=accept_url)
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("members:list")
    search = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    context = {
        "form": form,
        "search": search,
        "role": role,
        "roles": Role.choices,
        "memberships": membership_list(organisation=organisation, search=search, role=role),
        "invitations": invitation_list_open(organisation=organisation),
        "roles_form": RolesForm(),
    }
    return render(request, "provisioning/members.html", context)


@require_POST
@members_manager_required
def member_roles(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership, pk=pk, organisation=request.organisation, is_active=True
    )
    form = RolesForm(request.POST)
    if form.is_valid():
        try:
            membership = membership_change_roles(
                actor=actor_from_request(request),
                membership_id=membership.pk,
                roles=form.cleaned_data["roles"],
            )
            held = ", ".join(str(Role(r).label) for r in membership.roles if r in Role.values)
            messages.success(
                request,
                _("%(name)s now holds: %(roles)s.")
                % {"name": membership.user.full_name or membership.user.email, "roles": held},
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose at least one role."))
    return redirect("members:list")


@require_POST
@members_manager_required
def member_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        membership = membership_revoke(actor=actor_from_request(request), membership_id=pk)
        messages.success(
            request,
            _("%(name)s's membership revoked: they can no longer open this workspace.")
            % {"name": membership.user.full_name or membership.user.email},
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("members:list")


@require_POST
@members_manager_required
def invitation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = invitation_revoke(actor=actor_from_request(request), invitation_id=pk)
    messages.success(
        request,
        _("Invitation to %(email)s withdrawn: its link no longer works.")
        % {"email": invitation.email},
    )
    return redirect("members:list")


def accept(request: HttpRequest, token: str) -> HttpResponse:
    """Open to anyone holding the link (the door lets ``/invitations/`` through)."""
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        raise Http404
    invitation = invitation_get_open(organisation=organisation, token=token)
    if invitation is None:
        return render(request, "provisioning/invitation_invalid.html", status=404)
    existing = User.objects.filter(email__iexact=invitation.email).exists()
    form = AcceptInvitationForm(request.POST or None, existing_account=existing)
    if request.method == "POST" and form.is_valid():
        try:
            user, _membership = invitation_accept(
                organisation=organisation,
                token=token,
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data.get("full_name", ""),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if existing:
                # An existing account signs in through allauth (second factor included).
                messages.success(
                    request,
                    _("You have joined %(org)s: sign in to continue.") % {"org": organisation.name},
                )
                return redirect("account_login")
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("home")
    context = {"invitation": invitation, "form": form, "existing": existing}
    return render(request, "provisioning/invitation_accept.html", context)
