"""The access log covers every read of a family care record (issue 19 review): the care page
(with its carers and follow-ups) and its API read, the list and its API list. One entry of the
right kind, record, purpose and actor per read; none for a refused read; the workspace's
access-log screen names the child."""

from __future__ import annotations

import pytest
from django.urls import reverse

from case_apps.family_care import services
from tenants.models import Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.case_apps.conftest import actor_of
from tests.conftest import access_log_rows, client_on
from tests.factories import UserFactory
from tests.family_care.conftest import TODAY, record_care

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def care(world):
    care = record_care(world.acme, world.acme_worker)
    with workspace_context(world.acme):
        services.care_follow_up_record(
            actor=actor_of(world.acme, world.acme_worker),
            care=care.pk,
            kind="FFOC",
            visited_on=TODAY(),
            wellbeing="FWGO",
            findings="Settled with the foster family",
        )
    return care


def test_the_care_page_and_its_api_read_are_logged(world, care):
    client = client_on(world.acme, world.acme_worker)
    before = len(access_log_rows(world.acme))
    page = client.get(reverse("family_care:care", args=[care.pk]))
    assert page.status_code == 200
    assert "Settled with the foster family" in page.content.decode()  # the follow-up shown
    read = client.get(f"{API}/family-care/{care.pk}")
    assert read.status_code == 200 and len(read.json()["follow_ups"]) == 1
    who = world.acme_worker.pk
    assert access_log_rows(world.acme)[before:] == [
        ("family_care", str(care.pk), "family care page", who),
        ("family_care", str(care.pk), "family care API", who),
    ]


def test_the_list_and_its_api_log_one_entry_per_list_read(world, care):
    client = client_on(world.acme, world.acme_worker)
    before = len(access_log_rows(world.acme))
    assert "FC/042/118" in client.get(reverse("family_care:list")).content.decode()
    client.get(reverse("family_care:list"), {"q": "Achieng", "care_type": "AFFC"})
    listed = client.get(f"{API}/family-care?expiring=true").json()["items"]
    assert listed == []  # the certificate runs a year: none expiring, the read still logged
    who = world.acme_worker.pk
    assert access_log_rows(world.acme)[before:] == [
        ("family_care_list", "list", "family care list", who),
        ("family_care_list", "list", "family care list: q=Achieng&care_type=AFFC", who),
        ("family_care_list", "list", "family care API: expiring=1", who),
    ]


def test_a_refused_read_logs_nothing(world, care, other_institution):
    stranger = UserFactory(email="stranger@acme-care.test", full_name="Other Worker")
    membership_grant(user=stranger, organisation=world.acme, roles=[Role.CASE_WORKER])
    outside_caseload = client_on(world.acme, stranger)
    before = access_log_rows(world.acme)
    assert outside_caseload.get(reverse("family_care:care", args=[care.pk])).status_code == 404
    assert outside_caseload.get(f"{API}/family-care/{care.pk}").status_code == 404
    mine = client_on(world.acme, world.acme_worker)
    assert mine.get(f"{API}/family-care/999999").status_code == 404
    assert access_log_rows(world.acme) == before
    # a workspace family care does not serve: refused before any read
    beta = client_on(world.beta, world.beta_worker)
    beta_before = access_log_rows(world.beta)
    assert beta.get(reverse("family_care:list")).status_code == 404
    assert beta.get(f"{API}/family-care").status_code == 404
    assert access_log_rows(world.beta) == beta_before


def test_the_access_log_screen_names_the_child_of_a_care_record(world, care):
    client_on(world.acme, world.acme_worker).get(reverse("family_care:care", args=[care.pk]))
    page = client_on(world.acme, world.acme_admin).get("/audit/access/").content.decode()
    url = reverse("family_care:care", args=[care.pk])
    assert f'<a href="{url}">{care.case.child.full_name}</a>' in page
    assert f'title="family_care {care.pk}"' in page
    assert '<option value="family_care">Family care record</option>' in page
