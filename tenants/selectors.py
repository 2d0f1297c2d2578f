"""Reads about organisations, users and memberships."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tenants.models import Membership, Organisation, OrganisationStatus, User


def membership_get_active(*, user: User, organisation: Organisation) -> Membership | None:
    """The user's active membership of the organisation, or None (one query). The
    organisation's status is read in the same query, from the database, on every request: a
    suspended or archived organisation (or a revoked membership) gives None in every process
    at once, whatever the host cache still says."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(
            user=user,
            organisation=organisation,
            is_active=True,
            organisation__status=OrganisationStatus.ACTIVE,
        )
        .only("id", "roles", "is_active", "user_id", "organisation_id")
        .first()
    )


def organisation_status_now(organisation: Organisation) -> str | None:
    """The organisation's status read afresh (None: it no longer exists)."""
    return Organisation.objects.filter(pk=organisation.pk).values_list("status", flat=True).first()


def memberships_of_user(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def organisation_list(
    *, search: str = "", status: str = "", type_code: str = ""
) -> QuerySet[Organisation]:
    """Organisations for the platform console, optionally searched by name, slug or number,
    and filtered by status and type code."""
    queryset = Organisation.objects.select_related("parent")
    if type_code:
        queryset = queryset.filter(type_code=type_code)
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search)
            | Q(slug__icontains=search)
            | Q(registration_number__icontains=search)
            | Q(licence_number__icontains=search)
        )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("name")


def organisation_members(
    *, organisation: Organisation, roles: set[str] | None = None
) -> list[User]:
    """Active members of an organisation (optionally holding one of ``roles``), by name."""
    memberships = Membership.objects.filter(organisation=organisation, is_active=True)
    if roles:
        memberships = memberships.filter(roles__overlap=sorted(roles))
    return list(
        User.objects.filter(pk__in=memberships.values("user_id"), is_active=True).order_by(
            "full_name", "email"
        )
    )


def staff_forms_need_approval(organisation: Organisation | None) -> bool:
    """Whether the organisation's web forms typed by members who do not supervise wait for
    approval, read afresh (a change is seen by every process at once, whatever the host
    cache holds); False outside a workspace."""
    if organisation is None:
        return False
    return bool(
        Organisation.objects.filter(pk=organisation.pk)
        .values_list("staff_forms_need_approval", flat=True)
        .first()
    )
