import pytest
from django.core.management import call_command

from shared_registry.models import County, SubCounty, Ward

pytestmark = pytest.mark.django_db


def test_load_geography_loads_every_county_sub_county_and_ward_once(capsys):
    call_command("load_geography")
    assert (County.objects.count(), SubCounty.objects.count(), Ward.objects.count()) == (
        47,
        290,
        1450,
    )
    nyalenda = Ward.objects.select_related("sub_county__county").get(code="1201")
    assert nyalenda.name == "Nyalenda B"
    assert (nyalenda.sub_county.code, nyalenda.sub_county.name) == ("240", "Kisumu Central")
    assert (nyalenda.sub_county.county.code, nyalenda.sub_county.county.name) == ("042", "Kisumu")
    assert County.objects.get(code="047").latitude is not None
    capsys.readouterr()
    call_command("load_geography")
    assert "0 created, 0 updated, 1787 unchanged" in capsys.readouterr().out
