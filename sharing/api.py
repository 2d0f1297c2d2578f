"""Sharing API (django-ninja) for the caller's own organisation: agreements, consents,
referrals between organisations and shared records read through the gateway; and, on the
platform site, DCS headquarters' approval queue.

One module per subject (``api_agreements``, ``api_consents``, ``api_referrals``,
``api_shared_records``, ``api_console``; their schemas in ``api_schemas``); this module
assembles them into the two routers the API mounts (``router``, ``platform_router``).
The same services, selectors and policy (tenants.policy) as the screens; nothing here
decides who may do what or what is valid. Two operations need a case (sending a referral
from a case, accepting one by opening the receiver's case): the import contract "Sharing
knows no case app" puts them in ``case_apps/cases/api_referrals.py``.
"""

from __future__ import annotations

from ninja import Router

from sharing import (
    api_access_drafts,
    api_agreements,
    api_consents,
    api_referrals,
    api_shared_records,
)
from sharing.api_console import platform_router
from sharing.api_referrals import referral_received_or_404
from sharing.api_schemas import (
    ErrorOut,
    InvalidOut,
    ReferralDetailOut,
    ReferralOut,
)
from sharing.services import MAX_NAMED_PERSONS

__all__ = [
    "MAX_NAMED_PERSONS",
    "ErrorOut",
    "InvalidOut",
    "ReferralDetailOut",
    "ReferralOut",
    "platform_router",
    "referral_received_or_404",
    "router",
]

router = Router()  # each subject router carries the "sharing" tag
for _subject in (
    api_agreements,
    api_access_drafts,
    api_consents,
    api_referrals,
    api_shared_records,
):
    router.add_router("", _subject.router)
