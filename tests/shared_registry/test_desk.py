"""The registry manager's desk (issue 15): the duplicates queue sorted by evidence and
counted by county, side-by-side comparison, merge with a reason, undo, "not the same
person" for good, siblings and twins recorded; every decision audited."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from shared_registry import matching
from shared_registry.models import (
    DuplicateStatus,
    PersonMerge,
    PotentialDuplicate,
    Sex,
    SiblingKind,
    SiblingLink,
    SiblingSource,
)
from shared_registry.selectors import person_match_candidates, potential_duplicates_by_county
from shared_registry.services import (
    person_queue_potential_duplicates,
    person_register,
    sibling_link_record,
)
from tests.conftest import client_on

pytestmark = pytest.mark.django_db


def _child(first="Grace", other="Akinyi", surname="Otieno", **overrides):
    values = dict(
        first_name=first,
        other_names=other,
        surname=surname,
        sex=Sex.FEMALE,
        date_of_birth=dt.date(2015, 6, 14),
        county_code="042",
        sub_county_code="240",
    )
    values.update(overrides)
    return person_register(**values)


@pytest.fixture
def pairs(geo):
    """Two open pairs in Kisumu (one strong, one weaker) and one in Nairobi."""
    grace = _child(queue_duplicates=False)
    strong = _child(other="")  # same child without her middle name
    weak = _child(other="", date_of_birth=None, birth_year=2015)
    john = _child(
        "John",
        "",
        "Kamau",
        sex=Sex.MALE,
        county_code="047",
        sub_county_code="274",
        queue_duplicates=False,
    )
    _child("John", "", "Kamau", sex=Sex.MALE, county_code="047", sub_county_code="274")
    return {"grace": grace, "strong": strong, "weak": weak, "john": john}


def test_the_queue_is_sorted_by_evidence_and_counted_by_county(world, geo, pairs, registry_manager):
    rows = list(PotentialDuplicate.objects.filter(status=DuplicateStatus.OPEN))
    assert len(rows) >= 3
    counts = {code: n for code, _name, n in potential_duplicates_by_county()}
    assert counts["047"] == 1 and counts["042"] == len(rows) - 1
    client = client_on(None, registry_manager)
    page = client.get("/registry/duplicates/").content.decode()
    by_county = page[page.index('data-testid="queue-by-county"') :]
    assert f"{geo['kisumu'].name}</a> (" in by_county
    assert f"{geo['nairobi'].name}</a> (1)" in by_county
    scores = [int(s) for s in _scores(page)]
    assert scores == sorted(scores, reverse=True)
    nairobi = client.get("/registry/duplicates/", {"county": "047"}).content.decode()
    assert pairs["john"].cpims_id in nairobi and pairs["grace"].cpims_id not in nairobi


def _scores(page):
    table = page[page.index('data-testid="duplicates"') :]
    return [part.split("</strong>")[0] for part in table.split("<td><strong>")[1:]]


def test_compare_side_by_side_then_merge_with_a_reason_and_undo(world, pairs, registry_manager):
    pair = PotentialDuplicate.objects.get(
        person_a=pairs["grace"], person_b=pairs["strong"], status=DuplicateStatus.OPEN
    )
    client = client_on(None, registry_manager)
    page = client.get(f"/registry/duplicates/{pair.pk}/").content.decode()
    comparison = page[page.index('data-testid="comparison"') :]
    assert pairs["grace"].cpims_id in comparison and pairs["strong"].cpims_id in comparison
    assert "AKINYI" in comparison and "Kisumu Central" in comparison
    refused = client.post(f"/registry/duplicates/{pair.pk}/", {"action": "merge", "survivor": "a"})
    assert refused.status_code == 422 and not PersonMerge.objects.exists()
    assert "Say why these are the same person." in refused.content.decode()
    merged = client.post(
        f"/registry/duplicates/{pair.pk}/",
        {"action": "merge", "survivor": "a", "reason": "Same mother, same school"},
    )
    assert merged.status_code == 302
    merge = PersonMerge.objects.get()
    assert merge.survivor == pairs["grace"] and merge.reason == "Same mother, same school"
    pair.refresh_from_db()
    assert pair.status == DuplicateStatus.MERGED and pair.decided_by == registry_manager
    assert client.post(f"/registry/merges/{merge.pk}/undo/").status_code == 302
    pair.refresh_from_db()
    assert pair.status == DuplicateStatus.OPEN


def test_not_the_same_person_keeps_the_pair_out_of_the_queue_for_good(
    world, pairs, registry_manager
):
    pair = PotentialDuplicate.objects.get(person_a=pairs["john"])
    client = client_on(None, registry_manager)
    response = client.post(
        f"/registry/duplicates/{pair.pk}/", {"action": "dismiss", "reason": "Different fathers"}
    )
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == DuplicateStatus.DISMISSED and pair.decision_reason == "Different fathers"
    person_queue_potential_duplicates(person=pair.person_b)
    person_queue_potential_duplicates(person=pair.person_a)
    pair.refresh_from_db()
    assert pair.status == DuplicateStatus.DISMISSED
    assert not PotentialDuplicate.objects.filter(
        person_a=pairs["john"], status=DuplicateStatus.OPEN
    ).exists()
    again = client.post(f"/registry/duplicates/{pair.pk}/", {"action": "dismiss"})
    assert again.status_code == 422  # decided once


def test_every_decision_is_audited(world, pairs, registry_manager):
    pair = PotentialDuplicate.objects.get(person_a=pairs["john"])
    client_on(None, registry_manager).post(
        f"/registry/duplicates/{pair.pk}/", {"action": "dismiss", "reason": "Cousins"}
    )
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PotentialDuplicate),
        object_pk=str(pair.pk),
        actor=registry_manager,
    )
    assert entries.exists()
    changes = entries.latest("timestamp").changes_dict
    assert changes["status"][1] == DuplicateStatus.DISMISSED
    assert changes["decision_reason"][1] == "Cousins"


def test_siblings_decided_in_the_queue_are_linked_and_never_likely_again(
    world, geo, registry_manager
):
    first = _child("Mercy", "Akinyi", "Otieno", queue_duplicates=False)
    second = _child("Mercy", "Akinyi", "Otieno", date_of_birth=dt.date(2015, 6, 15))
    pair = PotentialDuplicate.objects.get(person_b=second)
    client = client_on(None, registry_manager)
    response = client.post(
        f"/registry/duplicates/{pair.pk}/",
        {"action": "siblings", "kind": SiblingKind.TWIN, "reason": "Born either side of midnight"},
    )
    assert response.status_code == 302
    link = SiblingLink.objects.get()
    assert (link.person_a, link.person_b, link.kind) == (first, second, SiblingKind.TWIN)
    assert link.source == SiblingSource.QUEUE
    pair.refresh_from_db()
    assert pair.status == DuplicateStatus.SIBLINGS
    from shared_registry.services import person_match_query

    found = matching.match(person_match_query(second), exclude_ids={second.pk})
    twin = next(c for c in found if c.person == first)
    assert twin.sibling and twin.level == matching.SIMILAR
    assert twin.reasons[0] == "recorded as a sibling or twin"


def test_a_household_sibling_link_closes_an_open_pair(world, geo):
    first = _child("Mercy", "Akinyi", "Otieno", queue_duplicates=False)
    second = _child("Mercy", "Akinyi", "Otieno", date_of_birth=dt.date(2015, 6, 15))
    assert PotentialDuplicate.objects.get(person_b=second).status == DuplicateStatus.OPEN
    sibling_link_record(
        person=second, sibling=first, kind=SiblingKind.TWIN, source=SiblingSource.HOUSEHOLD
    )
    assert PotentialDuplicate.objects.get(person_b=second).status == DuplicateStatus.SIBLINGS
    with pytest.raises(ValidationError):
        sibling_link_record(person=first, sibling=first, kind="x", source=SiblingSource.HOUSEHOLD)
    candidates = person_match_candidates(
        first_name="Mercy", other_names="Akinyi", surname="Otieno", sex=Sex.FEMALE
    )
    assert {c.person for c in candidates} == {first, second}


def test_the_desk_is_the_registry_managers_not_the_national_administrators(
    world, pairs, registry_manager
):
    pair = PotentialDuplicate.objects.filter(status=DuplicateStatus.OPEN).first()
    for user in (world.hq_admin, world.acme_admin, world.outsider):
        client = client_on(None, user)
        assert client.get(f"/registry/duplicates/{pair.pk}/").status_code == 403
        response = client.post(f"/registry/duplicates/{pair.pk}/", {"action": "dismiss"})
        assert response.status_code == 403
    for user in (world.acme_admin, world.beta_worker):
        response = client_on(world.acme, user).get(f"/registry/duplicates/{pair.pk}/")
        assert response.status_code == 404 or pair.person_a.cpims_id not in response.text
    pair.refresh_from_db()
    assert pair.status == DuplicateStatus.OPEN
    assert client_on(None, registry_manager).get("/registry/directory/").status_code == 200


def test_the_queue_api_lists_by_evidence_and_decides(world, pairs, registry_manager):
    client = client_on(None, registry_manager)
    queue = client.get("/api/v1/registry/duplicates").json()
    assert queue["by_county"]["047"] == 1 and queue["total"] == len(queue["pairs"])
    scores = [p["score"] for p in queue["pairs"]]
    assert scores == sorted(scores, reverse=True)
    pair = queue["pairs"][0]
    url = f"/api/v1/registry/duplicates/{pair['id']}/decision"
    no_reason = client.post(url, {"action": "merge", "keep": "a"}, content_type="application/json")
    assert no_reason.status_code == 422 and set(no_reason.json()["errors"]) == {"reason"}
    bad = client.post(url, {"action": "maybe"}, content_type="application/json")
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"action"}
    twins = client.post(
        url, {"action": "siblings", "kind": "twin"}, content_type="application/json"
    )
    assert twins.status_code == 200 and twins.json()["status"] == DuplicateStatus.SIBLINGS
    assert SiblingLink.objects.count() == 1
    for user in (world.hq_admin, world.acme_admin, world.outsider):
        refused = client_on(None, user).post(
            url, {"action": "dismiss"}, content_type="application/json"
        )
        assert refused.status_code in (401, 403)
        listing = client_on(None, user).get("/api/v1/registry/duplicates")
        assert listing.status_code in (401, 403)
    for user in (world.acme_admin, world.acme_worker):
        on_workspace = client_on(world.acme, user).get("/api/v1/registry/duplicates")
        assert on_workspace.status_code in (403, 404, 405)
