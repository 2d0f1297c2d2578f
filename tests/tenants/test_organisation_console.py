"""The console's organisation list (type code shown and filtered), the organisation page a
national administrator edits, the list of CCI licences and gazettements expiring, the home
pages' lines, the daily warning (once per threshold) and the API."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.utils import timezone

from tenants.capabilities import beat_schedule
from tenants.expiry import expiry_warnings_send
from tenants.models import Organisation, PlatformRole
from tenants.services import organisation_create
from tests.conftest import client_on
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"
JSON = "application/json"


def _expiring(world, days=20, **more):
    today = timezone.localdate()
    Organisation.objects.filter(pk=world.acme.pk).update(
        licence_number="LIC-ACME-1", licence_expires_on=today + timedelta(days=days), **more
    )


def test_console_list_shows_and_filters_by_type_code(world):
    organisation_create(
        name="Kisumu Rescue", slug="rescue-k", kind="statutory_institution", type_code="TNRR"
    )
    client = client_on(None, world.hq_admin)
    page = client.get("/console/")
    assert page.status_code == 200 and b"TNRC" in page.content and b"TNRR" in page.content
    filtered = client.get("/console/", {"type_code": "TNRR"})
    assert [o.slug for o in filtered.context["page"]] == ["rescue-k"]
    assert client.get("/console/", {"type_code": "BAD!"}).context["type_code"] == ""


def test_national_administrator_edits_codes_on_the_organisation_page(world):
    client = client_on(None, world.hq_admin)
    url = f"/console/organisations/{world.acme.pk}/"
    assert client.get(url).status_code == 200
    expires = timezone.localdate() + timedelta(days=200)
    response = client.post(
        url,
        {
            "type_code": "TNRC",
            "registration_type": "ICCI",
            "licence_number": "LIC-9",
            "licence_expires_on": expires.isoformat(),
            "gazettement_number": "GN 12",
        },
    )
    assert response.status_code == 302
    acme = Organisation.objects.get(pk=world.acme.pk)
    assert (acme.licence_number, acme.licence_expires_on) == ("LIC-9", expires)
    entry = LogEntry.objects.get_for_object(acme).latest("timestamp")
    assert entry.actor == world.hq_admin and "gazettement_number" in entry.changes_dict


def test_a_bad_code_keeps_what_was_typed_and_saves_nothing(world):
    client = client_on(None, world.hq_admin)
    response = client.post(
        f"/console/organisations/{world.acme.pk}/",
        {"type_code": "TNRB", "licence_number": "LIC-TYPED"},
    )
    assert response.status_code == 200
    assert "type_code" in response.context["form"].errors
    assert b"LIC-TYPED" in response.content
    assert Organisation.objects.get(pk=world.acme.pk).licence_number == ""


def test_a_parent_is_chosen_among_fitting_organisations(world):
    county = organisation_create(name="Kisumu County", slug="county-k", kind="dcs_county_office")
    office = organisation_create(
        name="Kisumu Central", slug="office-k", kind="dcs_sub_county_office"
    )
    client = client_on(None, world.hq_admin)
    ok = client.post(f"/console/organisations/{office.pk}/", {"parent": county.pk})
    assert ok.status_code == 302 and Organisation.objects.get(pk=office.pk).parent == county
    wrong = client.post(f"/console/organisations/{world.acme.pk}/", {"parent": county.pk})
    assert "parent" in wrong.context["form"].errors
    assert Organisation.objects.get(pk=world.acme.pk).parent is None
    page = client.get(f"/console/organisations/{county.pk}/")
    assert b"Kisumu Central" in page.content  # its child organisations


def test_others_cannot_edit_or_open_the_console(world):
    analyst = client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))
    url = f"/console/organisations/{world.acme.pk}/"
    assert analyst.get(url).status_code == 200  # reads
    assert "codes-form" not in analyst.get(url).content.decode()
    assert analyst.post(url, {"licence_number": "X"}).status_code == 403
    assert client_on(None, world.acme_admin).get(url).status_code == 403
    assert client_on(None, world.acme_admin).get("/console/licences/").status_code == 403
    assert Organisation.objects.get(pk=world.acme.pk).licence_number == ""


def test_expiring_licences_are_listed_for_dcs_and_shown_to_the_cci(world):
    _expiring(world, days=20)
    hq = client_on(None, world.hq_admin)
    listed = hq.get("/console/licences/")
    assert [e.organisation.pk for e in listed.context["expiries"]] == [world.acme.pk]
    assert b"LIC-ACME-1" in listed.content
    assert hq.get("/console/licences/", {"q": "nothing-like-it"}).context["expiries"] == []
    assert b"expiring or expired" in hq.get("/").content
    admin_home = client_on(world.acme, world.acme_admin).get("/")
    assert b"LIC-ACME-1" in admin_home.content
    own = client_on(world.acme, world.acme_worker).get("/organisation/")
    assert own.status_code == 200 and b"LIC-ACME-1" in own.content
    # beyond 60 days: nothing
    _expiring(world, days=61)
    assert hq.get("/console/licences/").context["expiries"] == []


def test_the_daily_warning_is_sent_once_per_threshold(world):
    assert beat_schedule()["licence-expiry-warnings"]["task"] == "tenants.licence_expiry_warnings"
    _expiring(world, days=50)
    assert expiry_warnings_send() == 1
    assert expiry_warnings_send() == 0  # the same threshold: not again
    today = timezone.localdate()
    assert expiry_warnings_send(today=today + timedelta(days=25)) == 1  # 30 days reached
    assert expiry_warnings_send(today=today + timedelta(days=60)) == 1  # expired
    assert expiry_warnings_send(today=today + timedelta(days=61)) == 0


def test_the_warning_emails_the_cci_admins_and_dcs(world, django_capture_on_commit_callbacks):
    _expiring(world, days=5)
    with django_capture_on_commit_callbacks(execute=True):
        expiry_warnings_send()
    assert len(mail.outbox) == 1
    recipients = set(mail.outbox[0].to)
    assert world.acme_admin.email in recipients and world.hq_admin.email in recipients
    assert world.acme_worker.email not in recipients
    assert "LIC-ACME-1" in mail.outbox[0].subject


def test_members_read_their_organisation_codes_by_api(world):
    _expiring(world, days=10)
    body = client_on(world.acme, world.acme_worker).get(f"{API}/organisation/").json()
    assert body["type_code"] == "TNRC" and body["licence_number"] == "LIC-ACME-1"
    assert body["expiring"][0]["document"] == "licence"
    # a member of another organisation on this host: refused, nothing of acme's
    other = client_on(world.acme, world.beta_worker).get(f"{API}/organisation/")
    assert other.status_code in (401, 403, 404) and b"LIC-ACME-1" not in other.content
    own = client_on(world.beta, world.beta_worker).get(f"{API}/organisation/").json()
    assert own["slug"] == "beta" and own["licence_number"] == ""


def test_console_api_sets_codes_with_422_naming_the_field(world):
    client = client_on(None, world.hq_admin)
    url = f"{API}/console/organisations/{world.acme.pk}/codes"
    assert client.get(url).json()["type_code"] == "TNRC"
    bad = client.patch(url, {"type_code": "TNGP"}, content_type=JSON)
    assert bad.status_code == 422 and "type_code" in bad.json()["errors"]
    bad_parent = client.patch(url, {"parent_id": world.beta.pk}, content_type=JSON)
    assert bad_parent.status_code == 422 and "parent_id" in bad_parent.json()["errors"]
    missing = client.patch(url, {"parent_id": 999999}, content_type=JSON)
    assert missing.status_code == 422 and "parent_id" in missing.json()["errors"]
    bad_date = client.patch(url, {"licence_expires_on": "soon"}, content_type=JSON)
    assert bad_date.status_code == 422
    ok = client.patch(url, {"licence_number": "LIC-API"}, content_type=JSON)
    assert ok.status_code == 200 and ok.json()["licence_number"] == "LIC-API"
    assert client.get(f"{API}/console/organisations/999999/codes").status_code == 404


def test_console_api_refuses_others(world):
    url = f"{API}/console/organisations/{world.acme.pk}/codes"
    analyst = client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))
    assert analyst.patch(url, {"licence_number": "X"}, content_type=JSON).status_code == 403
    member = client_on(None, world.acme_admin)
    assert member.get(url).status_code == 403
    assert member.patch(url, {"licence_number": "X"}, content_type=JSON).status_code == 403
    assert client_on(None).get(url).status_code == 401
    # a workspace host has no console API
    on_workspace = client_on(world.acme, world.acme_admin)
    assert on_workspace.get(url).status_code == 404
    assert Organisation.objects.get(pk=world.acme.pk).licence_number == ""


def test_the_application_page_shows_the_codes_given_at_sign_up(world):
    Organisation.objects.filter(pk=world.acme.pk).update(licence_number="LIC-SHOWN")
    page = client_on(None, world.hq_admin).get(f"/console/applications/{world.acme.pk}/")
    assert page.status_code == 200
    assert b"TNRC" in page.content and b"LIC-SHOWN" in page.content


def test_the_own_codes_page_is_for_members_only(world):
    _expiring(world, days=10)
    other = client_on(world.acme, world.beta_worker).get("/organisation/")
    assert other.status_code in (302, 403, 404) and b"LIC-ACME-1" not in other.content
    anonymous = client_on(world.acme).get("/organisation/")
    assert anonymous.status_code in (302, 403, 404) and b"LIC-ACME-1" not in anonymous.content
    assert client_on(None, world.hq_admin).get("/organisation/").status_code == 404
