"""The language switch is remembered per user and follows them to every host they sign in on."""

import pytest
from django.test import Client

from tenants.models import User

pytestmark = pytest.mark.django_db


def test_language_choice_is_remembered_and_applied_at_the_next_sign_in(world):
    from tests.conftest import client_on

    client = client_on(world.acme, world.acme_worker)
    response = client.post("/i18n/setlang/", {"language": "sw", "next": "/"})
    assert response.status_code == 302
    assert User.objects.get(pk=world.acme_worker.pk).preferred_language == "sw"
    assert (
        "Kesi" in client.get("/").content.decode()
        or 'lang="sw"' in client.get("/").content.decode()
    )

    fresh = Client(HTTP_HOST="acme.localhost")  # another browser, no cookie
    signed_in = fresh.post(
        "/accounts/login/", {"login": world.acme_worker.email, "password": world.password}
    )
    assert signed_in.cookies["django_language"].value == "sw"
    assert 'lang="sw"' in fresh.get("/").content.decode()


def test_anonymous_switch_changes_nothing_stored(world):
    response = Client(HTTP_HOST="localhost").post("/i18n/setlang/", {"language": "sw"})
    assert response.status_code == 302
    assert not User.objects.filter(preferred_language="sw").exists()


def test_unknown_language_is_ignored(world):
    from tests.conftest import client_on

    client_on(world.acme, world.acme_worker).post("/i18n/setlang/", {"language": "xx"})
    assert User.objects.get(pk=world.acme_worker.pk).preferred_language == ""
