"""Who reads a set of figures, and so whether its small counts are suppressed.

One rule for the screen, the page data behind charts, exports and the API:

- an organisation's members reading its own figures see them as they are (it holds the
  records);
- DCS national analysts see aggregates as they are on screen and through the API, and may
  take an unsuppressed export for internal use only with a stated reason, which is logged;
- everything else that crosses an organisation's boundary is suppressed with complements:
  county and national views for other roles, every published export (DHIS2 and ADX are
  always published), other organisations' figures.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tenants.policy import Permission, may

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from national_statistics.selectors import StatisticsScope
    from tenants.models import Membership, Organisation, User


class Audience(StrEnum):
    OWN = "own"  # the organisation's own members, its own figures
    ANALYST = "analyst"  # DCS national analysts on screen and API
    INTERNAL = "internal"  # an analyst's unsuppressed export, with a logged reason
    PUBLISHED = "published"  # anything else that crosses an organisation's boundary


UNSUPPRESSED = frozenset({Audience.OWN, Audience.ANALYST, Audience.INTERNAL})
PUBLISHED_FORMATS = frozenset({"json", "adx"})  # DHIS2 exchange formats always leave suppressed
REASON_MIN_LENGTH = 10


def shows_small_counts(audience: Audience | str) -> bool:
    """Whether this audience may see counts from 1 to 4."""
    return audience in UNSUPPRESSED


def audience_on_screen(
    user: User | AnonymousUser,
    *,
    scope: StatisticsScope,
    organisation: Organisation | None = None,
    membership: Membership | None = None,
) -> Audience:
    """The audience of a dashboard, a report screen, its page data or an API answer."""
    if organisation is not None:
        own = scope.organisation_id == organisation.pk
        member = may(user, Permission.VIEW_CASES, organisation=organisation, membership=membership)
        return Audience.OWN if own and member else Audience.PUBLISHED
    if may(user, Permission.VIEW_UNSUPPRESSED_STATISTICS):
        return Audience.ANALYST
    return Audience.PUBLISHED


def audience_of_export(
    user: User | AnonymousUser,
    *,
    scope: StatisticsScope,
    export_format: str,
    internal: bool,
    reason: str = "",
    organisation: Organisation | None = None,
    membership: Membership | None = None,
) -> Audience:
    """The audience of an export: published (suppressed) unless asked for internal use by a
    reader who may see it unsuppressed; an analyst must state why (ValidationError)."""
    if not internal:
        return Audience.PUBLISHED
    if export_format in PUBLISHED_FORMATS:
        raise ValidationError(
            {"purpose": [_("DHIS2 and ADX files are for publication: small counts are hidden.")]}
        )
    on_screen = audience_on_screen(
        user, scope=scope, organisation=organisation, membership=membership
    )
    if on_screen is Audience.OWN:
        return Audience.OWN
    if on_screen is not Audience.ANALYST:
        raise ValidationError(
            {"purpose": [_("Your role may only take exports with small counts hidden.")]}
        )
    if len(reason.strip()) < REASON_MIN_LENGTH:
        raise ValidationError(
            {"reason": [_("State why you need the unsuppressed figures (10 characters or more).")]}
        )
    return Audience.INTERNAL
