"""Writes about organisations, users and memberships."""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction

from tenants.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    PlatformRole,
    Role,
    User,
    schema_name_for_slug,
)

SESSION_HOST_KEY = "cpims_bound_schema"


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    platform_roles: Iterable[str] = (),
    email_verified: bool = False,
) -> User:
    roles = [PlatformRole(role).value for role in platform_roles]
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, platform_roles=roles
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=email_verified)
    return user


@transaction.atomic
def organisation_create(
    *,
    name: str,
    slug: str,
    kind: str,
    county_code: str = "",
    sub_county_code: str = "",
    registration_number: str = "",
    training: bool = False,
) -> Organisation:
    """Record a new organisation, ``pending`` until verified and provisioned."""
    organisation = Organisation(
        name=name,
        slug=slug,
        kind=OrganisationKind(kind).value,
        schema_name=schema_name_for_slug(slug),
        county_code=county_code,
        sub_county_code=sub_county_code,
        registration_number=registration_number,
        training=training,
        status=OrganisationStatus.PENDING,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def membership_grant(*, user: User, organisation: Organisation, roles: Iterable[str]) -> Membership:
    """Give a user roles in an organisation (reactivating a revoked membership)."""
    role_values = sorted({Role(role).value for role in roles})
    if not role_values:
        raise ValueError("A membership needs at least one role")
    membership, _ = Membership.objects.update_or_create(
        user=user,
        organisation=organisation,
        defaults={"roles": role_values, "is_active": True, "revoked_at": None},
    )
    return membership


def session_bind(session: SessionBase, *, schema_name: str) -> None:
    """Bind a signed-in session to the host (schema) it was made on."""
    session[SESSION_HOST_KEY] = schema_name


def session_bound_schema(session: SessionBase) -> str | None:
    return session.get(SESSION_HOST_KEY)


def user_language_set(*, user: User, language: str) -> None:
    """Remember the language a signed-in user chose (applied again at every sign-in)."""
    if language in dict(User._meta.get_field("preferred_language").choices):
        User.objects.filter(pk=user.pk).update(preferred_language=language)
