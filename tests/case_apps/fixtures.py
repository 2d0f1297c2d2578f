"""Session fixtures of case management used beyond tests/case_apps (browser tests)."""

import pytest

from case_apps.lists.services import lists_load_national


@pytest.fixture(scope="session")
def national_lists(django_db_setup, django_db_blocker) -> None:
    """The national reference lists, committed once for the whole run."""
    with django_db_blocker.unblock():
        lists_load_national()


@pytest.fixture(scope="session")
def kenya_geography(django_db_setup, django_db_blocker) -> None:
    """The 47 counties, their sub-counties and wards, committed once for the whole run."""
    from shared_registry.geography import geography_load

    with django_db_blocker.unblock():
        geography_load()
