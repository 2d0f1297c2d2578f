"""Webhook fixtures: a stand-in receiver, and subscriptions of acme and beta to it."""

from __future__ import annotations

import pytest

from tests.sharing.conftest import scene  # noqa: F401 - beta's child and case
from tests.sharing.test_transfer import consent  # noqa: F401 - the child's consent
from tests.webhooks.standin import StandIn
from webhooks.events import EVENTS
from webhooks.services import subscription_create


@pytest.fixture
def receiver():
    stand_in = StandIn().start()
    yield stand_in
    stand_in.stop()


@pytest.fixture(autouse=True)
def _short_timeout(settings):
    settings.CPIMS_WEBHOOKS_TIMEOUT_SECONDS = 0.5
    settings.CPIMS_WEBHOOKS_ALLOW_PRIVATE = True


def subscribe(organisation, receiver, user=None, events=None, **kwargs):
    """A subscription of ``organisation`` to ``events`` (default: every event) and its
    clear secret."""
    return subscription_create(
        organisation=organisation,
        url=receiver.url,
        events=list(events or EVENTS),
        created_by=user,
        **kwargs,
    )
