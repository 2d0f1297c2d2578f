"""Each role's home page shows what waits for it, linking only to pages the role may open."""

import re

import pytest

from sharing import services
from tenants.actor import Actor
from tests.conftest import client_on
from tests.sharing.conftest import request_agreement, scene  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _links(html: str) -> list[str]:
    section = html.split('data-testid="waiting-for-you"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'href="([^"]+)"', section)


def test_the_sharing_approver_sees_agreements_awaiting_approval(world, scene):  # noqa: F811
    agreement = request_agreement(world, scene)
    services.agreement_accept(agreement=agreement, actor=Actor(user=scene.beta_admin))
    html = client_on(None, scene.approver).get("/").content.decode()
    assert "1 data sharing agreement awaits your approval" in html
    assert f"Agreement #{agreement.pk}: Acme Children&#x27;s Home asks Beta OVC Partner" in html
    links = _links(html)
    assert links[:2] == ["/console/sharing/", f"/console/sharing/agreements/{agreement.pk}/"]
    for link in links:  # the approver may open every link offered
        assert client_on(None, scene.approver).get(link).status_code == 200, link


def test_the_provider_admin_sees_requests_waiting_for_a_decision(world, scene):  # noqa: F811
    request_agreement(world, scene)
    html = client_on(world.beta, scene.beta_admin).get("/").content.decode()
    assert "1 request waits for your decision." in html
    for link in _links(html):
        assert client_on(world.beta, scene.beta_admin).get(link).status_code == 200
    worker = client_on(world.beta, world.beta_worker).get("/").content.decode()
    assert "waits for your decision" not in worker  # a case worker decides no agreement


def test_someone_with_nothing_to_do_sees_no_waiting_list(world):
    html = client_on(None, world.outsider).get("/").content.decode()
    assert 'data-testid="waiting-for-you"' not in html


def test_every_link_on_a_platform_home_opens_for_its_reader(world, scene):  # noqa: F811
    for user in (scene.approver, world.hq_admin, world.outsider):
        client = client_on(None, user)
        html = client.get("/").content.decode()
        main = html.split("<main", 1)[1].split("</main>", 1)[0]
        for link in re.findall(r'href="(/[^"/][^"]*)"', main):
            assert client.get(link).status_code == 200, (user.email, link)
