"""The demo organisations' codes: tumaini a CCI whose licence warns, imara a local NGO."""

import pytest

from tenants.demo_codes import organisations_codes_demo
from tenants.expiry import expiries
from tenants.models import Organisation

pytestmark = pytest.mark.django_db


def test_demo_codes_are_given_and_idempotent(world):
    copies = (Organisation.objects.get(pk=o.pk) for o in (world.acme, world.beta))
    organisations = dict(zip(("tumaini", "imara"), copies, strict=True))  # the world stays
    organisations_codes_demo(organisations)
    organisations_codes_demo(organisations)
    acme, beta = (Organisation.objects.get(pk=o.pk) for o in (world.acme, world.beta))
    assert (acme.type_code, acme.registration_type) == ("TNRC", "ICCI")
    assert (beta.type_code, beta.registration_type) == ("TNRL", "INGO")
    assert [e.document for e in expiries(organisation=acme)] == ["licence"]
    assert acme.registration_number == "CCI/KSM/0001"  # its own number is kept
    organisations_codes_demo({})  # nothing to do
