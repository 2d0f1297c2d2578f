"""Writes about organisations, users and memberships."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
from tenants.organisation_codes import codes_validate, default_code
from tenants.policy import Permission

if TYPE_CHECKING:
    from tenants.actor import Actor

SESSION_HOST_KEY = "cpims_bound_schema"
# What the sign-up form, the console and the API set beside the name and kind.
CODE_FIELDS = (
    "type_code",
    "registration_type",
    "registration_number",
    "registered_on",
    "licence_number",
    "licence_expires_on",
    "gazettement_number",
    "gazetted_on",
    "gazettement_expires_on",
    "parent",
)
LICENCE_FIELDS = CODE_FIELDS[4:9]


def _codes_validate(kind: str, values: dict, organisation: Organisation | None = None) -> None:
    codes_validate(
        kind=kind,
        type_code=values.get("type_code", ""),
        registration_type=values.get("registration_type", ""),
        parent=values.get("parent"),
        organisation=organisation,
        licence_fields={name: values.get(name) for name in LICENCE_FIELDS},
    )
    future = [
        name
        for name in ("registered_on", "gazetted_on")
        if values.get(name) and values[name] > timezone.localdate()
    ]
    if future:
        raise ValidationError({name: [_("This date is in the future.")] for name in future})


def _shown(value) -> str:
    return "" if value is None else str(getattr(value, "pk", value))


@transaction.atomic
def organisation_codes_set(*, actor: Actor, organisation_id: int, **values) -> Organisation:
    """A national administrator sets an organisation's codes, registration, licence,
    gazettement and parent (``CODE_FIELDS``; those not given stay). Audited with what
    changed; a changed expiry date is warned about again. Raises ValidationError by field."""
    actor.require(Permission.VERIFY_ORGANISATIONS)
    unknown = set(values) - set(CODE_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    merged = {name: getattr(organisation, name) for name in CODE_FIELDS} | values
    _codes_validate(organisation.kind, merged, organisation)
    changes = {}
    for name, value in values.items():
        before = getattr(organisation, name)
        if before != value:
            changes[name] = [_shown(before), _shown(value)]
            setattr(organisation, name, value)
    if not changes:
        return organisation
    if {"licence_expires_on", "gazettement_expires_on"} & set(changes):
        organisation.expiry_notices = []
    organisation.full_clean(exclude=["parent"])
    organisation.save()
    LogEntry.objects.log_create(
        organisation,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=actor.user,
        changes=changes,
    )
    return organisation


@transaction.atomic
def organisation_approval_setting_set(*, actor: Actor, required: bool) -> Organisation:
    """An organisation administrator says whether forms typed in the web app by members who
    do not supervise wait for a supervisor's approval (``staff_forms_need_approval``);
    audited with who changed it, in the organisation's change log."""
    actor.require(Permission.MANAGE_MEMBERS)
    organisation = Organisation.objects.select_for_update().get(pk=actor.organisation.pk)
    required = bool(required)
    before = organisation.staff_forms_need_approval
    if before == required:
        return organisation
    organisation.staff_forms_need_approval = required
    with disable_auditlog():  # the one entry below names the actor, in a request or not
        organisation.save(update_fields=["staff_forms_need_approval", "updated_at"])
    LogEntry.objects.log_create(
        organisation,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=actor.user,
        changes={"staff_forms_need_approval": [str(before), str(required)]},
    )
    return organisation


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
    **codes,
) -> Organisation:
    """Record a new organisation, ``pending`` until verified and provisioned. ``codes``: the
    fields of ``CODE_FIELDS`` (type code, registration, licence, parent); a kind with one type
    code gets it when none is given. Raises ValidationError by field."""
    unknown = set(codes) - set(CODE_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    codes["type_code"] = codes.get("type_code") or default_code(kind)
    _codes_validate(kind, codes)
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
        **codes,
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
