"""Organisation sign-up on the platform site: validation, email verification, races."""

import threading

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connections

from provisioning.models import OrganisationDocument
from provisioning.services import Applicant, organisation_apply
from tenants.models import Organisation, OrganisationStatus, User
from tests.conftest import client_on
from tests.provisioning.conftest import certificate, signup_data

pytestmark = pytest.mark.django_db


def test_signup_creates_a_pending_organisation_and_emails_a_verification_link(world):
    client = client_on(None)
    response = client.post("/join/", signup_data())
    org = Organisation.objects.get(slug="upendo")
    assert response.status_code == 302 and response["Location"] == f"/join/{org.pk}/"
    assert org.status == OrganisationStatus.PENDING
    assert org.applicant.email == "grace@upendo.test"
    assert org.contact_phone == "0712345678"
    assert org.schema_name == "org_upendo"
    assert OrganisationDocument.objects.get(organisation=org).content_type == "application/pdf"
    assert not EmailAddress.objects.get(user=org.applicant).verified
    assert len(mail.outbox) == 1 and "confirm-email" in mail.outbox[0].body
    page = client.get(f"/join/{org.pk}/")
    assert page.status_code == 200
    assert b"Pending verification" in page.content

    link = next(w for w in mail.outbox[0].body.split() if "/accounts/confirm-email/" in w)
    path = link.split("localhost", 1)[1] if "localhost" in link else link
    client.post(path)
    assert EmailAddress.objects.get(user=org.applicant).verified


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("slug", "Upendo!", b"lowercase"),
        ("slug", "admin", b"reserved"),
        ("slug", "acme", b"taken"),
        ("county_code", "99", b"Choose a county from the list"),
        ("contact_phone", "12345", b"Kenyan phone"),
        ("password2", "something-else-entirely", b"passwords differ"),
        ("email", "worker@acme.test", b"account with this email"),
        ("name", "", b"required"),
        ("certificate", certificate("x.exe", b"MZ\x90\x00binary"), b"PDF, PNG or JPEG"),
    ],
)
def test_bad_input_keeps_what_was_typed_and_creates_nothing(world, field, value, message):
    users_before = User.objects.count()
    response = client_on(None).post("/join/", signup_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content
    assert b"Plot 12, Kasarani Road" in response.content  # kept
    assert not Organisation.objects.filter(name="Upendo Children's Home").exists()
    assert User.objects.count() == users_before
    assert mail.outbox == []


def test_missing_certificate_is_an_error(world):
    data = signup_data()
    del data["certificate"]
    response = client_on(None).post("/join/", data)
    assert response.status_code == 200
    assert not Organisation.objects.filter(slug="upendo").exists()


def test_slug_is_checked_as_you_type(world):
    client = client_on(None)
    assert b"available" in client.get("/join/check-slug/", {"slug": "new-home"}).content
    assert b"taken" in client.get("/join/check-slug/", {"slug": "beta"}).content
    assert b"reserved" in client.get("/join/check-slug/", {"slug": "www"}).content
    assert b"lowercase" in client.get("/join/check-slug/", {"slug": "A"}).content


def test_a_signed_in_user_applies_without_a_second_account(world):
    client = client_on(None, world.outsider)
    data = signup_data()
    for key in ("full_name", "email", "password1", "password2"):
        del data[key]
    users_before = User.objects.count()
    assert client.post("/join/", data).status_code == 302
    assert Organisation.objects.get(slug="upendo").applicant == world.outsider
    assert User.objects.count() == users_before


def test_the_same_email_twice_gets_one_account(world):
    client_on(None).post("/join/", signup_data())
    response = client_on(None).post("/join/", signup_data(slug="upendo-two", name="Second"))
    assert b"account with this email" in response.content
    assert User.objects.filter(email="grace@upendo.test").count() == 1
    assert not Organisation.objects.filter(slug="upendo-two").exists()


def test_the_status_page_is_only_for_the_applicant(world):
    client_on(None).post("/join/", signup_data())
    org = Organisation.objects.get(slug="upendo")
    for client in (
        client_on(None),
        client_on(None, world.outsider),
        client_on(None, world.hq_admin),
    ):
        assert client.get(f"/join/{org.pk}/").status_code == 404
        assert client.get(f"/join/{org.pk}/progress/").status_code == 404
    assert client_on(world.acme, world.acme_admin).get("/join/").status_code == 404
    assert client_on(None, org.applicant).get(f"/join/{org.pk}/").status_code == 200


def test_allauth_sign_up_page_stays_closed(world):
    response = client_on(None).post(
        "/accounts/signup/",
        {
            "email": "x@example.test",
            "password1": "a-long-safe-pass",
            "password2": "a-long-safe-pass",
        },
    )
    assert not User.objects.filter(email="x@example.test").exists()
    assert response.status_code in {200, 403}


def _cleanup(slugs: list[str], emails: list[str]) -> None:
    connection = connections.create_connection("default")
    try:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM tenants_organisation WHERE slug = ANY(%s)", [slugs])
            cursor.execute("DELETE FROM account_emailaddress WHERE email = ANY(%s)", [emails])
            cursor.execute("DELETE FROM tenants_user WHERE email = ANY(%s)", [emails])
    finally:
        connection.close()


def test_two_sign_ups_racing_for_one_slug_one_wins(world):
    """Two threads, each on its own connection, commit sign-ups for the same slug at once."""
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def apply(email: str) -> None:
        try:
            barrier.wait(5)
            organisation_apply(
                name="Race",
                slug="race-home",
                kind="cci",
                county_code="047",
                applicant=Applicant(email=email, password="a-long-safe-pass", full_name="R"),
            )
            outcomes[email] = "won"
        except Exception as exc:  # noqa: BLE001
            outcomes[email] = repr(exc)
        finally:
            connections.close_all()

    emails = ["one@race.test", "two@race.test"]
    threads = [threading.Thread(target=apply, args=(e,)) for e in emails]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
        assert sorted(o == "won" for o in outcomes.values()) == [False, True], outcomes
        loser = next(o for o in outcomes.values() if o != "won")
        assert "workspace address is taken" in loser
        # the loser's account was rolled back with its organisation
        probe = connections.create_connection("default")
        with probe.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM tenants_user WHERE email = ANY(%s)", [emails])
            assert cursor.fetchone()[0] == 1
        probe.close()
    finally:
        _cleanup(["race-home"], emails)


def test_the_applicant_finds_their_applications_after_signing_in(world):
    client_on(None).post("/join/", signup_data())
    org = Organisation.objects.get(slug="upendo")
    mine = client_on(None, org.applicant).get("/join/mine/")
    assert mine.status_code == 200 and b"Upendo Children" in mine.content
    assert b"Upendo" not in client_on(None, world.outsider).get("/join/mine/").content
    assert client_on(None).get("/join/mine/").status_code == 302
    assert client_on(world.acme, world.acme_admin).get("/join/mine/").status_code == 404


def test_the_form_names_places_and_has_no_misleading_default(world):
    html = client_on(None).get("/join/").content.decode()
    assert '<option value="047">Nairobi</option>' in html
    assert '<optgroup label="Nairobi">' in html and "County code" not in html
    assert '<option value="" selected>—</option>' in html  # the kind: nothing chosen for you
    response = client_on(None).post("/join/", signup_data(kind=""))
    assert b"This field is required" in response.content


def test_every_aria_describedby_points_at_a_help_text_that_exists(world):
    import re

    for html in (
        client_on(None).get("/join/").content.decode(),
        client_on(None).post("/join/", signup_data(slug="Upendo!")).content.decode(),
    ):
        described = re.findall(r'aria-describedby="([^"]+)"', html)
        assert described
        for ids in described:
            for target in ids.split():
                assert f'id="{target}"' in html, target


def test_nothing_typed_is_cut_short_without_saying_so(world):
    html = client_on(None).get("/join/").content.decode()
    assert "maxlength" not in html
    long_name = "Upendo " * 40
    response = client_on(None).post("/join/", signup_data(name=long_name))
    assert b"at most 200 characters (it has 279)" in response.content
    assert long_name.strip().encode() in response.content


def test_a_failed_try_keeps_the_certificate_and_does_not_ask_for_it_again(world):
    client = client_on(None)
    response = client.post("/join/", signup_data(contact_phone="12345"))
    assert b"Kenyan phone" in response.content
    assert b"Kept: certificate.pdf" in response.content
    assert b"type it again" in response.content  # only the password is asked again
    data = signup_data()
    del data["certificate"]
    response = client.post("/join/", data)
    assert response.status_code == 302
    org = Organisation.objects.get(slug="upendo")
    document = OrganisationDocument.objects.get(organisation=org)
    assert document.original_name == "certificate.pdf"
    assert document.file.read().startswith(b"%PDF")


def test_the_confirmation_email_is_branded_and_leads_on_to_the_applications(world):
    client = client_on(None)
    client.post("/join/", signup_data())
    message = mail.outbox[0]
    assert message.subject == "CPIMS Kenya: Confirm your email address"
    assert message.body.startswith("CPIMS Kenya · Child Protection Information Management")
    assert "[localhost]" not in message.subject and "Hello from localhost" not in message.body
    link = next(w for w in message.body.split() if "/accounts/confirm-email/" in w)
    path = link.split("localhost", 1)[1]
    landed = client.post(path, follow=True)
    assert landed.redirect_chain[-1][0] == "/accounts/login/?next=%2Fjoin%2Fmine%2F"
    assert b"Sign Up Closed" not in landed.content
    signed_in = client.post(
        landed.redirect_chain[-1][0],
        {"login": "grace@upendo.test", "password": "a-long-safe-passphrase"},
        follow=True,
    )
    assert signed_in.redirect_chain[-1][0] == "/join/mine/"
    assert b"Upendo Children" in signed_in.content


def test_the_confirmation_email_follows_the_applicants_language(world):
    client = client_on(None)
    client.post("/join/", signup_data(), HTTP_ACCEPT_LANGUAGE="sw")
    message = mail.outbox[0]
    assert message.subject == "CPIMS Kenya: Thibitisha anwani yako ya barua pepe"
    assert "Idara ya Huduma za Watoto" in message.body
