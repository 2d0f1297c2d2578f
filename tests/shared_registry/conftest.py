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
    return {"kisumu": kisumu, "nairobi": nairobi, "central": central,
            "westlands": westlands, "nyalenda": nyalenda}  # fmt: skip


@pytest.fixture(scope="session")
def national_geography(django_db_setup, django_db_blocker):
    """All of Kenya's geography, loaded once and committed (loading is idempotent)."""
    from shared_registry.geography import geography_load

    with django_db_blocker.unblock():
        geography_load()
