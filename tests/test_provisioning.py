"""Provisioning gives a pending organisation its schema and domain, once."""

import pytest
from django.db import connection

from provisioning.services import ProvisioningError, organisation_provision
from tenants.models import Domain, OrganisationStatus
from tenants.services import organisation_create

pytestmark = pytest.mark.django_db


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def test_provisioning_creates_schema_domain_and_activates(world):
    org = organisation_create(name="Upendo", slug="upendo", kind="lip")
    assert not schema_exists("org_upendo")
    org = organisation_provision(organisation=org)
    assert org.status == OrganisationStatus.ACTIVE
    assert schema_exists("org_upendo")
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('org_upendo.outbox_outboxevent')")
        assert cursor.fetchone()[0] is not None
    assert Domain.objects.get(tenant=org).domain == "upendo.localhost"


def test_provisioning_twice_provisions_once(world):
    org = organisation_provision(
        organisation=organisation_create(name="Twice", slug="twice", kind="cci")
    )
    again = organisation_provision(organisation=org)
    assert again.status == OrganisationStatus.ACTIVE
    assert Domain.objects.filter(tenant=org).count() == 1


def test_suspended_organisation_is_not_provisioned(world):
    org = organisation_create(name="Held", slug="held", kind="cci")
    org.status = OrganisationStatus.SUSPENDED
    org.save()
    with pytest.raises(ProvisioningError):
        organisation_provision(organisation=org)
    assert not schema_exists("org_held")
