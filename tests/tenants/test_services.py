"""Creating organisations, users and memberships: bad input changes nothing."""

import pytest
from django.core.exceptions import ValidationError

from tenants.models import Membership, Organisation, OrganisationStatus, Role
from tenants.services import membership_grant, organisation_create, user_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_new_organisation_is_pending_with_a_schema_name(world):
    org = organisation_create(name="Upendo CBO", slug="upendo-cbo", kind="lip")
    assert org.status == OrganisationStatus.PENDING
    assert org.schema_name == "org_upendo_cbo"


@pytest.mark.parametrize(
    "slug", ["ab", "Acme2", "-acme", "acme-", "www", "api", "9lives", "a" * 41, "has space", "pg_x"]
)
def test_bad_workspace_address_is_refused_and_nothing_saved(world, slug):
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as error:
        organisation_create(name="Somewhere", slug=slug, kind="cci")
    assert "slug" in error.value.message_dict
    assert Organisation.objects.count() == before


def test_taken_workspace_address_is_refused(world):
    with pytest.raises(ValidationError) as error:
        organisation_create(name="Acme again", slug="acme", kind="cci")
    assert "slug" in error.value.message_dict


def test_unknown_kind_is_refused(world):
    with pytest.raises(ValueError):
        organisation_create(name="X", slug="xyz-org", kind="bank")


def test_membership_grant_updates_roles_and_reactivates(world):
    user = UserFactory()
    membership = membership_grant(user=user, organisation=world.acme, roles=[Role.VIEWER])
    membership.is_active = False
    membership.save()
    again = membership_grant(
        user=user, organisation=world.acme, roles=[Role.SUPERVISOR, Role.SUPERVISOR]
    )
    assert again.pk == membership.pk and again.is_active and again.roles == [Role.SUPERVISOR]
    assert Membership.objects.filter(user=user).count() == 1


def test_membership_needs_a_known_role(world):
    user = UserFactory()
    with pytest.raises(ValueError):
        membership_grant(user=user, organisation=world.acme, roles=[])
    with pytest.raises(ValueError):
        membership_grant(user=user, organisation=world.acme, roles=["superhero"])
    assert not Membership.objects.filter(user=user).exists()


def test_user_email_is_unique_case_insensitively(world):
    user_create(email="Mary@Example.org", password="a long enough password")
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        user_create(email="mary@example.org", password="a long enough password")
