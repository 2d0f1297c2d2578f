"""The home pages' "Waiting for you" lines that the apps declare (issue 16), beyond those
tests/cpims/test_home_waiting.py reads: referrals in, the duplicates queue, and each line in
Kiswahili as its template wrote it."""

import re
from datetime import date

import pytest

from shared_registry.services import person_register
from tests.conftest import client_on
from tests.shared_registry.conftest import registry_manager  # noqa: F401 (fixture)
from tests.sharing.conftest import scene  # noqa: F401 (fixture)
from tests.sharing.test_transfer import consent, send  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _waiting(html: str) -> tuple[str, list[str]]:
    section = html.split('data-testid="waiting-for-you"', 1)[1].split("</section>", 1)[0]
    return section, re.findall(r'href="([^"]+)"', section)


def _in_swahili(client):
    client.cookies["django_language"] = "sw"
    return client.get("/", HTTP_ACCEPT_LANGUAGE="sw").content.decode()


def test_a_referral_sent_to_the_organisation_waits_on_its_members_home(world, scene, consent):  # noqa: F811
    send(world, scene, consent)
    client = client_on(world.acme, world.acme_worker)
    section, links = _waiting(client.get("/").content.decode())
    assert "1 referral waits for your answer" in section
    assert links == ["/cases/referrals-in/"]
    assert client.get(links[0]).status_code == 200
    assert "Rufaa 1 inasubiri jibu lako" in _waiting(_in_swahili(client))[0]
    # the sender's members have nothing waiting
    assert 'data-testid="waiting-for-you"' not in (
        client_on(world.beta, world.beta_worker).get("/").content.decode()
    )


def test_the_registry_manager_sees_the_duplicates_to_review(world, registry_manager):  # noqa: F811
    born = date(2014, 3, 7)
    common = {"first_name": "Mary", "surname": "Kamau", "sex": "SFEM", "date_of_birth": born}
    person_register(other_names="Wanjiru", queue_duplicates=False, **common)
    person_register(other_names="", queue_duplicates=True, **common)
    client = client_on(None, registry_manager)
    section, links = _waiting(client.get("/").content.decode())
    assert "1 possible duplicate person to review" in section
    assert links == ["/registry/duplicates/"]
    assert client.get(links[0]).status_code == 200
    swahili = _waiting(_in_swahili(client))[0]
    assert "Mtu 1 anayeweza kuwa nakala ya kukaguliwa" in swahili


def test_the_national_administrator_sees_applications_even_when_none_wait(world):
    client = client_on(None, world.hq_admin)
    section, links = _waiting(client.get("/").content.decode())
    assert "0 organisation applications await verification" in section
    assert links == ["/console/applications/"]
    assert "Maombi 0 ya mashirika yanasubiri uhakiki" in _waiting(_in_swahili(client))[0]
