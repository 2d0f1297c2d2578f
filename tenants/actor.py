"""Who is acting: the user, their membership and the organisation whose workspace they are in.

Every write service and every selector that returns a person's data takes an ``Actor``,
fetches its objects as that actor and asks ``tenants.policy`` itself; views, API endpoints
and tasks only build the actor and translate the two outcomes below (docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tenants.policy import Permission, may

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tenants.models import Membership, Organisation, User


class NotFound(Http404):
    """Missing and not visible to this actor alike: the caller learns nothing more."""


class Forbidden(PermissionDenied):
    """The actor sees the object but the policy does not let them do this to it."""


@dataclass(frozen=True)
class Actor:
    user: User
    membership: Membership | None = None
    organisation: Organisation | None = None

    @property
    def user_id(self) -> int:
        return self.user.pk

    def may(self, permission: Permission) -> bool:
        """Whether the policy allows ``permission`` to this actor (in their organisation)."""
        return may(
            self.user, permission, organisation=self.organisation, membership=self.membership
        )

    def require(self, permission: Permission) -> None:
        """Raise ``Forbidden`` unless the policy allows ``permission``."""
        if not self.may(permission):
            raise Forbidden(permission)


def actor_from_request(request: HttpRequest) -> Actor:
    """The actor of a request (the membership is the one the door already loaded)."""
    return Actor(
        user=request.user,
        membership=getattr(request, "membership", None),
        organisation=getattr(request, "organisation", None),
    )


def member_actor(user: User, organisation: Organisation | None) -> Actor:
    """The user acting as a member of ``organisation`` outside a request (the demo, the
    benchmarks, tasks): with their membership there, if they have one; with no organisation
    they act from the platform site."""
    from tenants.models import Membership

    if organisation is None:
        return Actor(user=user)
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    return Actor(user=user, membership=membership, organisation=organisation)
