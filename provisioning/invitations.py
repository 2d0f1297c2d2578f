"""Members of a workspace: invitations by email with a role, role changes, revocation."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.actor import Actor, NotFound
from tenants.models import Invitation, Membership, Organisation, Role, User
from tenants.policy import Permission
from tenants.services import membership_grant, user_create

INVITATION_DAYS = 7


@transaction.atomic
def invitation_create(
    *, actor: Actor, email: str, role: str, days: int = INVITATION_DAYS
) -> Invitation:
    """Invite ``email`` with ``role`` to the actor's organisation (members managers); replaces
    any open invitation for the same address."""
    actor.require(Permission.MANAGE_MEMBERS)
    organisation = actor.organisation
    email = email.strip().lower()
    role = Role(role).value
    if Membership.objects.filter(
        organisation=organisation, user__email__iexact=email, is_active=True
    ).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    now = timezone.now()
    Invitation.objects.filter(
        organisation=organisation, email=email, accepted_at=None, revoked_at=None
    ).update(revoked_at=now)
    return Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=actor.user,
        token=secrets.token_urlsafe(32),
        expires_at=now + timedelta(days=days),
    )


def invitation_get_open(*, organisation: Organisation, token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.filter(organisation=organisation, token=token)
        .select_related("organisation")
        .first()
    )
    return invitation if invitation is not None and invitation.is_open else None


def invitation_list_open(*, organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organisation=organisation,
        accepted_at=None,
        revoked_at=None,
        expires_at__gt=timezone.now(),
    )


@transaction.atomic
def invitation_accept(
    *, organisation: Organisation, token: str, password: str, full_name: str = ""
) -> tuple[User, Membership]:
    """Accept an open invitation: the account is created when needed (the link proves the
    mailbox, so its email is verified), or an existing account proves itself with its
    password; the membership gets the invited role."""
    invitation = (
        Invitation.objects.select_for_update()
        .filter(organisation=organisation, token=token)
        .first()
    )
    if invitation is None or not invitation.is_open:
        raise ValidationError(_("This invitation is no longer valid."))
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = user_create(
            email=invitation.email, password=password, full_name=full_name, email_verified=True
        )
    elif not user.is_active or not user.check_password(password):
        raise ValidationError({"password1": _("The password is not right for this account.")})
    existing = Membership.objects.filter(
        user=user, organisation=organisation, is_active=True
    ).first()
    roles = {invitation.role, *(existing.roles if existing else [])}
    membership = membership_grant(user=user, organisation=organisation, roles=roles)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user, membership


@transaction.atomic
def invitation_revoke(*, actor: Actor, invitation_id: int) -> Invitation:
    """Withdraw an invitation of the actor's organisation; another's is not found."""
    actor.require(Permission.MANAGE_MEMBERS)
    invitation = (
        Invitation.objects.select_for_update()
        .filter(pk=invitation_id, organisation_id=actor.organisation.pk)
        .first()
    )
    if invitation is None:
        raise NotFound("No such invitation")
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def _other_admins(membership: Membership) -> bool:
    return (
        Membership.objects.filter(
            organisation_id=membership.organisation_id,
            is_active=True,
            roles__contains=[Role.ORGANISATION_ADMIN],
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def _member_get(actor: Actor, membership_id: int) -> Membership:
    """An active membership of the actor's organisation; any other is not found."""
    actor.require(Permission.MANAGE_MEMBERS)
    membership = Membership.objects.filter(
        pk=membership_id, organisation_id=actor.organisation.pk, is_active=True
    ).first()
    if membership is None:
        raise NotFound("No such member")
    return membership


def _lock_administrators(membership: Membership) -> Membership:
    """Lock the membership's organisation row, then the membership (the lock order of
    docs/security.md): every change that could remove an administrator takes the same
    organisation lock first, so "keeps an administrator" is checked by one change at a time
    and sees the others' committed result."""
    Organisation.objects.select_for_update().filter(pk=membership.organisation_id).first()
    return Membership.objects.select_for_update().get(pk=membership.pk)


@transaction.atomic
def membership_change_roles(*, actor: Actor, membership_id: int, roles: list[str]) -> Membership:
    """New roles for a member; an organisation keeps at least one administrator."""
    membership = _lock_administrators(_member_get(actor, membership_id))
    values = sorted({Role(role).value for role in roles})
    if not values:
        raise ValidationError({"roles": _("Choose at least one role.")})
    if Role.ORGANISATION_ADMIN not in values and not _other_admins(membership):
        raise ValidationError({"roles": _("The organisation needs another administrator first.")})
    membership.roles = values
    membership.save(update_fields=["roles"])
    return membership


@transaction.atomic
def membership_revoke(*, actor: Actor, membership_id: int) -> Membership:
    """End a membership; the door refuses the person from their next request."""
    membership = _lock_administrators(_member_get(actor, membership_id))
    if not membership.is_active:
        return membership
    if not _other_admins(membership) and Role.ORGANISATION_ADMIN in membership.roles:
        raise ValidationError(_("The organisation needs another administrator first."))
    membership.is_active = False
    membership.revoked_at = timezone.now()
    membership.save(update_fields=["is_active", "revoked_at"])
    return membership


def membership_list(
    *, organisation: Organisation, search: str = "", role: str = ""
) -> QuerySet[Membership]:
    """The organisation's active members by name, narrowed by name or e-mail and a role."""
    queryset = Membership.objects.filter(organisation=organisation, is_active=True).select_related(
        "user"
    )
    if search:
        queryset = queryset.filter(
            Q(user__email__icontains=search) | Q(user__full_name__icontains=search)
        )
    if role in Role.values:
        queryset = queryset.filter(roles__contains=[role])
    return queryset.order_by("user__full_name", "user__email")
