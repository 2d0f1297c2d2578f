import pytest

from shared_registry.models import County, SubCounty, Ward


@pytest.fixture
def geo(db):
    """A sliver of Kisumu and Nairobi geography (the full lists load with load_geography)."""
    kisumu, _ = County.objects.get_or_create(code="042", defaults={"name": "Kisumu"})
    nairobi, _ = County.objects.get_or_create(code="047", defaults={"name": "Nairobi City"})
    central, _ = SubCounty.objects.get_or_create(
        code="240", defaults={"name": "Kisumu Central", "county": kisumu}
    )
    westlands, _ = SubCounty.objects.get_or_create(
        code="274", defaults={"name": "Westlands", "county": nairobi}
    )
    nyalenda, _ = Ward.objects.get_or_create(
        code="1201", defaults={"name": "Nyalenda B", "sub_county": central}
    )
    return {
        "kisumu": kisumu,
        "nairobi": nairobi,
        "central": central,
        "westlands": westlands,
        "nyalenda": nyalenda,
    }


@pytest.fixture
def national_geography(db):
    """All of Kenya's geography, inside the test's transaction (other suites, such as the
    statistics dashboards, must not see it)."""
    from shared_registry.geography import geography_load

    geography_load()


@pytest.fixture
def registry_manager(db):
    """A registry manager (issue 15): the duplicates desk, not the national administrator."""
    from tenants.models import PlatformRole
    from tests.factories import UserFactory

    return UserFactory(email="registry@dcs.test", platform_roles=[PlatformRole.REGISTRY_MANAGER])
