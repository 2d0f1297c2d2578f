"""Integration tests talk to local stand-ins only (tests/integrations/standins.py)."""

import pytest

from tests.integrations.standins import Dhis2StandIn, StandIn
from tests.national_statistics.conftest import _statistics_start_empty  # noqa: F401


@pytest.fixture
def dhis2():
    """A DHIS2 stand-in on 127.0.0.1; ``dhis2.app`` scripts its answers."""
    running = StandIn(Dhis2StandIn()).start()
    yield running
    running.stop()


@pytest.fixture
def kmhfl():
    from tests.integrations.standins import KmhflStandIn

    running = StandIn(KmhflStandIn()).start()
    yield running
    running.stop()


@pytest.fixture
def nemis():
    from tests.integrations.standins import NemisStandIn

    running = StandIn(NemisStandIn()).start()
    yield running
    running.stop()


from tests.shared_registry.conftest import geo  # noqa: E402, F401
