"""Sign-up asks for the type code, registration, a CCI's licence and gazettement, and the
parent organisation (by its workspace address); a code that does not fit is refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tenants.models import Organisation
from tests.conftest import client_on
from tests.provisioning.conftest import signup_data

pytestmark = pytest.mark.django_db


def test_a_cci_applies_with_its_licence_and_gazettement(world):
    expires = timezone.localdate() + timedelta(days=300)
    response = client_on(None).post(
        "/join/",
        signup_data(
            registration_type="ICCI",
            registered_on="2019-05-02",
            licence_number="DCS/LIC/0099",
            licence_expires_on=expires.isoformat(),
            gazettement_number="GN 101",
        ),
    )
    assert response.status_code == 302
    org = Organisation.objects.get(slug="upendo")
    assert org.type_code == "TNRC"  # the only code of a CCI, given by default
    assert (org.registration_type, str(org.registered_on)) == ("ICCI", "2019-05-02")
    assert (org.licence_number, org.licence_expires_on) == ("DCS/LIC/0099", expires)
    assert org.gazettement_number == "GN 101"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"type_code": "TNRB"}, "type_code", "does not fit"),
        ({"kind": "ip", "licence_number": "L-1"}, "licence_number", "Only a charitable"),
        ({"kind": "lip", "parent_slug": "nowhere"}, "parent_slug", "No county office"),
        ({"parent_slug": "beta"}, "parent_slug", "no parent organisation"),
        ({"registered_on": "2999-01-01"}, "registered_on", "in the future"),
    ],
)
def test_codes_that_do_not_fit_are_refused_naming_the_field(world, overrides, field, message):
    response = client_on(None).post("/join/", signup_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not Organisation.objects.filter(slug="upendo").exists()


def test_a_local_partner_names_its_implementing_partner(world):
    response = client_on(None).post(
        "/join/", signup_data(kind="lip", type_code="TNCB", parent_slug="beta")
    )
    assert response.status_code == 302
    org = Organisation.objects.get(slug="upendo")
    assert org.parent == world.beta and org.type_code == "TNCB"


def test_a_parent_with_children_is_not_deleted(world, monkeypatch):
    from provisioning import lifecycle
    from tenants.actor import Actor
    from tenants.models import OrganisationStatus
    from tenants.services import organisation_create

    county = organisation_create(name="Old County", slug="old-county", kind="dcs_county_office")
    organisation_create(
        name="Old Office", slug="old-office", kind="dcs_sub_county_office", parent=county
    )
    Organisation.objects.filter(pk=county.pk).update(status=OrganisationStatus.ARCHIVED)
    monkeypatch.setattr(lifecycle, "exports_of", lambda organisation: ["old-county.zip"])
    with pytest.raises(lifecycle.LifecycleError, match="Old Office"):
        lifecycle.organisation_delete(
            actor=Actor(user=world.hq_admin),
            organisation=Organisation.objects.get(pk=county.pk),
            confirmation="old-county",
        )
    assert Organisation.objects.filter(pk=county.pk).exists()
