"""Organisation type codes, registration, licence and parent: which fit which kind, set by
default where a kind has one code, edited by national administrators only and audited."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tenants.actor import Actor
from tenants.models import Organisation, OrganisationKind, PlatformRole
from tenants.organisation_codes import codes_check, default_code, type_code_problem
from tenants.services import organisation_codes_set, organisation_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
K = OrganisationKind


def _org(slug, kind, **codes):
    return organisation_create(name=slug.title(), slug=slug, kind=kind, **codes)


def hq_actor(role=PlatformRole.NATIONAL_ADMINISTRATOR):
    return Actor(user=UserFactory(platform_roles=[role]))


@pytest.mark.parametrize(
    ("kind", "code", "fits"),
    [
        (K.DCS_COUNTY_OFFICE, "TNGP", True),
        (K.DCS_COUNTY_OFFICE, "TNGD", False),
        (K.STATUTORY_INSTITUTION, "TNRR", True),
        (K.STATUTORY_INSTITUTION, "TNRC", False),
        (K.CCI, "TNRC", True),
        (K.CCI, "TNRB", False),
        (K.IMPLEMENTING_PARTNER, "TNRI", True),
        (K.LOCAL_IMPLEMENTING_PARTNER, "TNCB", True),
        (K.OTHER_NGO, "TNGP", False),
        (K.CCI, "XXXX", False),
    ],
)
def test_which_type_codes_fit_which_kind(kind, code, fits):
    assert (type_code_problem(kind, code) is None) is fits


def test_a_kind_with_one_code_gets_it_by_default_others_stay_blank(world):
    assert default_code(K.CCI) == "TNRC" and default_code(K.STATUTORY_INSTITUTION) == ""
    assert _org("county-x", K.DCS_COUNTY_OFFICE).type_code == "TNGP"
    assert _org("subcounty-x", K.DCS_SUB_COUNTY_OFFICE).type_code == "TNGD"
    assert _org("rescue-x", K.STATUTORY_INSTITUTION).type_code == ""
    assert _org("remand-x", K.STATUTORY_INSTITUTION, type_code="TNRH").type_code == "TNRH"


def test_a_code_that_does_not_fit_is_refused_naming_the_field(world):
    with pytest.raises(ValidationError) as caught:
        _org("home-x", K.CCI, type_code="TNRB")
    assert "type_code" in caught.value.message_dict
    assert not Organisation.objects.filter(slug="home-x").exists()


def test_parents_follow_the_hierarchy_without_cycles(world):
    county = _org("county-y", K.DCS_COUNTY_OFFICE)
    sub_county = _org("subcounty-y", K.DCS_SUB_COUNTY_OFFICE, parent=county)
    assert sub_county.parent == county and list(county.children.all()) == [sub_county]
    lip = _org("lip-y", K.LOCAL_IMPLEMENTING_PARTNER, parent=world.beta)
    assert lip.parent == world.beta
    for kind, parent in [
        (K.DCS_SUB_COUNTY_OFFICE, world.beta),  # not a county office
        (K.LOCAL_IMPLEMENTING_PARTNER, county),  # not an implementing partner
        (K.CCI, county),  # a CCI has no parent
    ]:
        assert "parent" in codes_check(kind=kind, type_code="", parent=parent)
    # an implementing partner under its own local partner's ... is refused: kinds forbid it,
    # and a cycle through the same organisation is refused too
    assert "parent" in codes_check(
        kind=K.DCS_SUB_COUNTY_OFFICE, type_code="", parent=sub_county, organisation=sub_county
    )


def test_a_licence_belongs_to_a_cci_only(world):
    errors = codes_check(
        kind=K.IMPLEMENTING_PARTNER,
        type_code="",
        licence_fields={"licence_number": "L-1", "licence_expires_on": None},
    )
    assert "licence_number" in errors


def test_national_administrator_sets_codes_audited(world):
    actor = hq_actor()
    expires = timezone.localdate() + timedelta(days=90)
    organisation = organisation_codes_set(
        actor=actor,
        organisation_id=world.acme.pk,
        registration_type="ICCI",
        licence_number="LIC-7",
        licence_expires_on=expires,
    )
    assert organisation.licence_expires_on == expires and organisation.type_code == "TNRC"
    entry = LogEntry.objects.get_for_object(organisation).latest("timestamp")
    assert entry.actor == actor.user
    assert entry.changes_dict["licence_number"] == ["", "LIC-7"]


def test_codes_set_refuses_bad_input_and_other_roles(world):
    with pytest.raises(ValidationError) as caught:
        organisation_codes_set(actor=hq_actor(), organisation_id=world.acme.pk, type_code="TNGP")
    assert "type_code" in caught.value.message_dict
    future = timezone.localdate() + timedelta(days=3)
    with pytest.raises(ValidationError) as caught:
        organisation_codes_set(actor=hq_actor(), organisation_id=world.acme.pk, gazetted_on=future)
    assert "gazetted_on" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        organisation_codes_set(
            actor=hq_actor(PlatformRole.ANALYST),
            organisation_id=world.acme.pk,
            licence_number="X",
        )
    assert Organisation.objects.get(pk=world.acme.pk).licence_number == ""


def test_changing_an_expiry_date_forgets_the_warnings_sent(world):
    Organisation.objects.filter(pk=world.acme.pk).update(expiry_notices=["licence:60:2030-01-01"])
    organisation = organisation_codes_set(
        actor=hq_actor(), organisation_id=world.acme.pk, licence_expires_on=date(2031, 1, 1)
    )
    assert organisation.expiry_notices == []


def test_the_data_migration_fills_the_only_code_of_a_kind(world):
    import importlib

    from django.apps import apps

    fill = importlib.import_module("tenants.migrations.0006_organisation_codes_fill").fill
    Organisation.objects.filter(pk=world.acme.pk).update(type_code="", registration_type="")
    fill(apps, None)
    acme = Organisation.objects.get(pk=world.acme.pk)
    assert acme.type_code == "TNRC" and acme.registration_type == "ICCI"
    assert Organisation.objects.get(pk=world.beta.pk).type_code == ""
