"""The registry person behind a new record opens only for an organisation that holds a record
on them, or with the signed ``ref`` a registry search result gave the member (issue 14's
leftover, issue 16 item 1): a bare database id opens nobody, on the case screen, the OVC
screens and the case API, and every read that opens someone is logged."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.utils import timezone

from audit.workspace.models import AccessEntry
from case_apps.cases.models import CaseRecord
from shared_registry.access import RECORD_KIND_PERSON
from shared_registry.models import Sex
from shared_registry.services import person_register
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child, open_case, search_ref
from tests.conftest import client_on

pytestmark = pytest.mark.django_db

# organisation attribute of the world -> (the new-record screen, its person parameter)
SCREENS = {
    "acme": ("/cases/new/", "child"),
    "beta": ("/ovc/households/new/", "person"),
}
FINDERS = {"acme": "/cases/find-child/", "beta": "/ovc/find-person/?for=household"}


def _member(world, slug: str):
    return {"acme": world.acme_worker, "beta": world.beta_worker}[slug]


def _reads(organisation, person) -> list[AccessEntry]:
    with workspace_context(organisation):
        return list(
            AccessEntry.objects.filter(record_kind=RECORD_KIND_PERSON, record_id=person.cpims_id)
        )


def _url(slug: str, person, ref: str = "") -> str:
    path, parameter = SCREENS[slug]
    return f"{path}?{parameter}={person.pk}" + (f"&ref={ref}" if ref else "")


@pytest.fixture
def stranger(world):
    """A child another organisation (neither acme nor beta) registered: nobody here holds a
    record on her."""
    return person_register(
        first_name="Nekesa",
        surname="Wafula",
        sex=Sex.FEMALE,
        date_of_birth=dt.date(2015, 5, 9),
    )


@pytest.mark.parametrize("slug", ["acme", "beta"])
def test_an_unrelated_persons_id_answers_404_and_logs_no_read(
    world, national_lists, stranger, slug
):
    organisation = getattr(world, slug)
    client = client_on(organisation, _member(world, slug))
    page = client.get(_url(slug, stranger))
    assert page.status_code == 404
    assert stranger.full_name.encode() not in page.content
    assert client.post(_url(slug, stranger), {"child": stranger.pk}).status_code == 404
    # a ref signed for another member, or a forged one, opens nobody either
    other_ref = search_ref(organisation, world.hq_admin, stranger)
    assert client.get(_url(slug, stranger, other_ref)).status_code == 404
    assert client.get(_url(slug, stranger, "forged")).status_code == 404
    assert _reads(organisation, stranger) == []


@pytest.mark.parametrize("slug", ["acme", "beta"])
def test_a_person_from_a_search_result_opens_with_its_ref_and_the_read_is_logged(
    world, national_lists, stranger, slug
):
    organisation, user = getattr(world, slug), _member(world, slug)
    client = client_on(organisation, user)
    search = {"first_name": "Nekesa", "surname": "Wafula", "sex": "SFEM", "action": "search"}
    results = client.post(FINDERS[slug], search).content.decode()
    [link] = [
        unescape(href)
        for href in re.findall(r'href="([^"]+)"', results)
        if f"={stranger.pk}&" in unescape(href)
    ]
    page = client.get(link)
    assert page.status_code == 200 and stranger.full_name.encode() in page.content
    [entry] = _reads(organisation, stranger)
    assert entry.actor_id == user.pk


@pytest.mark.parametrize("slug", ["acme", "beta"])
def test_a_person_the_organisation_holds_a_case_on_opens_without_a_ref(world, national_lists, slug):
    organisation, user = getattr(world, slug), _member(world, slug)
    child = make_child("Baraka", "Otieno")
    open_case(organisation, user, child)
    page = client_on(organisation, user).get(_url(slug, child))
    assert page.status_code == 200 and child.full_name.encode() in page.content
    assert len(_reads(organisation, child)) == 1
    # the other organisation holds nothing on the child: a bare id opens nobody there
    other = "beta" if slug == "acme" else "acme"
    outsider = client_on(getattr(world, other), _member(world, other))
    assert outsider.get(_url(other, child)).status_code == 404


def test_the_case_api_opens_a_child_only_with_a_ref_or_a_record(world, national_lists, stranger):
    client = client_on(world.acme, world.acme_worker)
    body = {
        "child_id": stranger.pk,
        "date_reported": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "how_reported": "walk_in",
        "reporter_type": "CRMO",
        "risk_level": "RLHG",
        "categories": [{"category_code": "CSIC"}],
    }
    refused = client.post("/api/v1/cases", body, content_type="application/json")
    assert refused.status_code == 422 and "child_id" in refused.content.decode()
    assert stranger.full_name not in refused.content.decode()
    with workspace_context(world.acme):
        assert not CaseRecord.objects.filter(child_id=stranger.pk).exists()
    assert _reads(world.acme, stranger) == []
    ref = search_ref(world.acme, world.acme_worker, stranger)
    opened = client.post(
        "/api/v1/cases", {**body, "child_ref": ref}, content_type="application/json"
    )
    assert opened.status_code == 201, opened.content
    assert len(_reads(world.acme, stranger)) == 1
    # now acme holds a case on her: the next case needs no ref
    again = client.post("/api/v1/cases", body, content_type="application/json")
    assert again.status_code == 201, again.content
