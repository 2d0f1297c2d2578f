"""Summons: issued, served, honoured or not (never "not yet" once the date to appear is past),
the list by status, the API (422s, isolation) and the printable summons in English and
Kiswahili."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from case_apps.cases.models import CaseEvent
from case_apps.cases.models_court import Summons, SummonsStatus
from case_apps.cases.selectors_court import CourtFilters, summons_list
from case_apps.cases.services.court import summons_honour, summons_issue, summons_serve
from case_apps.cases.summons_pdf import summons_pdf
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, make_child, open_case
from tests.conftest import client_on

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
NARRATIVE = "The neighbour saw the child locked in the house for days."


def issue(organisation, user, case, **overrides):
    fields = {
        "person_name": "Peter Otieno",
        "person_role": "Father",
        "issued_on": TODAY() - timedelta(days=1),
        "appear_on": TODAY() + timedelta(days=7),
        "appear_at": time(9, 30),
        "place": "Sub-County Children's Office, Kisumu",
    }
    fields.update(overrides)
    with workspace_context(organisation):
        return summons_issue(actor=actor_of(organisation, user), case=case, **fields)


def test_a_summons_goes_from_issued_to_served_to_honoured(world, team):
    case = open_case(world.acme, team.worker)
    summons = issue(world.acme, team.worker, case)
    assert summons.status == SummonsStatus.ISSUED
    actor = actor_of(world.acme, team.worker)
    with workspace_context(world.acme):
        served = summons_serve(actor=actor, case=case, summons_id=summons.pk, served_on=TODAY())
        assert served.status == SummonsStatus.SERVED
        done = summons_honour(
            actor=actor, case=case, summons_id=summons.pk, honoured=True, honoured_on=TODAY()
        )
        assert done.status == SummonsStatus.HONOURED
        actions = list(
            CaseEvent.objects.filter(case=case, action__startswith="summons_").values_list(
                "action", flat=True
            )
        )
        assert actions == ["summons_issued", "summons_served", "summons_honoured"]


def test_a_summons_whose_date_is_past_reads_not_honoured_never_not_yet(world, team):
    case = open_case(world.acme, team.worker)
    past = issue(
        world.acme,
        team.worker,
        case,
        issued_on=case.date_reported,
        appear_on=TODAY() - timedelta(days=1),
    )
    served_past = issue(
        world.acme, team.worker, case, issued_on=case.date_reported, appear_on=case.date_reported
    )
    with workspace_context(world.acme):
        summons_serve(
            actor=actor_of(world.acme, team.worker),
            case=case,
            summons_id=served_past.pk,
            served_on=case.date_reported,
        )
        served_past.refresh_from_db()
    assert past.status == served_past.status == SummonsStatus.NOT_HONOURED
    today = issue(world.acme, team.worker, case, appear_on=TODAY())
    assert today.status == SummonsStatus.ISSUED  # the day itself: the person may still come
    refused = issue(world.acme, team.worker, case, person_name="Mary Atieno")
    with workspace_context(world.acme):
        refused = summons_honour(
            actor=actor_of(world.acme, team.worker),
            case=case,
            summons_id=refused.pk,
            honoured=False,
        )
    assert refused.status == SummonsStatus.NOT_HONOURED
    page = client_on(world.acme, team.worker).get(f"/cases/{case.pk}/").content.decode()
    assert "Not honoured" in page and "not yet" not in page.lower()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"person_name": " "}, "person_name"),
        ({"place": ""}, "place"),
        ({"issued_on": TODAY() + timedelta(days=1)}, "issued_on"),
        ({"issued_on": TODAY() - timedelta(days=40)}, "issued_on"),  # before reported
        ({"appear_on": TODAY() - timedelta(days=2)}, "appear_on"),  # before issued
        ({"appear_on": None}, "appear_on"),
    ],
)
def test_a_wrong_summons_is_refused_naming_the_field(world, team, overrides, field):
    case = open_case(world.acme, team.worker)
    with pytest.raises(ValidationError) as error:
        issue(world.acme, team.worker, case, **overrides)
    assert field in error.value.message_dict
    with workspace_context(world.acme):
        assert not Summons.objects.exists()


def test_serving_and_honouring_keep_to_the_dates(world, team):
    case = open_case(world.acme, team.worker)
    summons = issue(world.acme, team.worker, case)
    actor = actor_of(world.acme, team.worker)
    wrong = [
        (summons_serve, {"served_on": summons.issued_on - timedelta(days=1)}, "served_on"),
        (summons_serve, {"served_on": TODAY() + timedelta(days=1)}, "served_on"),
        (summons_honour, {"honoured": True}, "honoured_on"),
        (summons_honour, {"honoured": True, "honoured_on": TODAY() + timedelta(1)}, "honoured_on"),
        (summons_honour, {"honoured": False, "honoured_on": TODAY()}, "honoured_on"),
    ]
    with workspace_context(world.acme):
        for service, arguments, field in wrong:
            with pytest.raises(ValidationError) as error:
                service(actor=actor, case=case, summons_id=summons.pk, **arguments)
            assert field in error.value.message_dict, (service, arguments)
        summons.refresh_from_db()
        assert (summons.served_on, summons.honoured) == (None, None)


def test_the_summons_list_filters_by_status_and_scope(world, team):
    case = open_case(world.acme, team.worker)
    others = open_case(world.acme, team.other_worker, make_child("Chebet", "Kiprono"))
    waiting = issue(world.acme, team.worker, case, person_name="Peter Otieno")
    missed = issue(
        world.acme,
        team.worker,
        case,
        person_name="John Missed",
        issued_on=case.date_reported,
        appear_on=TODAY() - timedelta(days=1),
    )
    issue(world.acme, team.other_worker, others, person_name="Grace Other")
    with workspace_context(world.acme):
        actor = actor_of(world.acme, team.worker)

        def names(**filters):
            return {
                s.person_name for s in summons_list(actor=actor, filters=CourtFilters(**filters))
            }

        assert names() == {"Peter Otieno", "John Missed"}
        assert names(status="issued") == {"Peter Otieno"}
        assert names(status="not_honoured") == {"John Missed"}
        assert names(status="honoured") == set()
        assert names(date_from=TODAY()) == {"Peter Otieno"}
    admin = client_on(world.acme, world.acme_admin)
    page = admin.get("/cases/court/summons/?status=not_honoured").content.decode()
    assert "John Missed" in page and "Peter Otieno" not in page and "Grace Other" not in page
    page = admin.get("/cases/court/summons/").content.decode()
    assert "Grace Other" in page
    items = admin.get("/api/v1/court/summons?status=issued").json()["items"]
    assert {i["person_name"] for i in items} == {"Peter Otieno", "Grace Other"}
    assert waiting.pk in {i["id"] for i in items} and missed.pk not in {i["id"] for i in items}


# --- API ------------------------------------------------------------------------------------
def test_api_issues_serves_and_honours_a_summons(world, team):
    case = open_case(world.acme, team.worker)
    client = client_on(world.acme, team.worker)
    url = f"/api/v1/cases/{case.pk}/summons"
    body = {
        "person_name": "Peter Otieno",
        "issued_on": TODAY().isoformat(),
        "appear_on": (TODAY() + timedelta(days=3)).isoformat(),
        "appear_at": "10:00",
        "place": "Kisumu Children's Office",
    }
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201, created.content
    summons_id = created.json()["id"]
    assert created.json()["status"] == "issued"
    served = client.post(
        f"{url}/{summons_id}/served", {"served_on": TODAY().isoformat()}, "application/json"
    )
    assert served.json()["status"] == "served"
    refused = client.post(f"{url}/{summons_id}/honoured", {"honoured": True}, "application/json")
    assert refused.status_code == 422 and "honoured_on" in refused.json()["errors"]
    honoured = client.post(
        f"{url}/{summons_id}/honoured",
        {"honoured": True, "honoured_on": TODAY().isoformat()},
        "application/json",
    )
    assert honoured.json()["status"] == "honoured"
    assert [s["id"] for s in client.get(url).json()] == [summons_id]
    late = client.post(url, body | {"appear_on": "2000-01-01"}, content_type="application/json")
    assert late.status_code == 422 and "appear_on" in late.json()["errors"]


def test_another_organisation_or_officer_cannot_touch_a_summons(world, team):
    case = open_case(world.acme, team.worker)
    summons = issue(world.acme, team.worker, case)
    base = f"/api/v1/cases/{case.pk}/summons"
    for client in (
        client_on(world.beta, world.beta_worker),
        client_on(world.acme, team.other_worker),
    ):
        assert client.get(base).status_code == 404
        served = client.post(
            f"{base}/{summons.pk}/served", {"served_on": TODAY().isoformat()}, "application/json"
        )
        assert served.status_code == 404
        honoured = client.post(
            f"{base}/{summons.pk}/honoured", {"honoured": False}, "application/json"
        )
        assert honoured.status_code == 404
        for page in (
            f"/cases/{case.pk}/summons/{summons.pk}/print/",
            f"/cases/{case.pk}/summons/{summons.pk}/served/",
            f"/cases/{case.pk}/summons/new/",
        ):
            assert client.get(page).status_code == 404, page
        listing = client.get("/cases/court/summons/").content.decode()
        assert "Peter Otieno" not in listing
    with workspace_context(world.acme):
        summons.refresh_from_db()
        assert (summons.served_on, summons.honoured) == (None, None)


# --- screens and the printable summons ----------------------------------------------------------
def test_the_summons_screens_issue_serve_and_honour(world, team):
    case = open_case(world.acme, team.worker)
    client = client_on(world.acme, team.worker)
    form = {
        "person_name": "Peter Otieno",
        "person_role": "Father",
        "issued_on": TODAY().isoformat(),
        "appear_on": (TODAY() - timedelta(days=1)).isoformat(),
        "place": "Kisumu",
    }
    refused = client.post(f"/cases/{case.pk}/summons/new/", form)
    assert refused.status_code == 200 and "appear_on" in refused.context["form"].errors
    assert "Peter Otieno" in refused.content.decode()  # what was typed is kept
    form["appear_on"] = (TODAY() + timedelta(days=5)).isoformat()
    assert client.post(f"/cases/{case.pk}/summons/new/", form).status_code == 302
    with workspace_context(world.acme):
        summons = Summons.objects.get()
    url = f"/cases/{case.pk}/summons/{summons.pk}"
    assert client.post(f"{url}/served/", {"served_on": TODAY().isoformat()}).status_code == 302
    honoured = {"honoured": "yes", "honoured_on": TODAY().isoformat()}
    assert client.post(f"{url}/honoured/", honoured).status_code == 302
    with workspace_context(world.acme):
        summons.refresh_from_db()
    assert summons.status == SummonsStatus.HONOURED
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Honoured on" in page and "Peter Otieno (Father)" in page  # the timeline


def _pdf_text(data: bytes) -> str:
    return data.decode("latin-1")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["SUMMONS", "You are required to appear", "Signature"]),
        ("sw", ["WITO", "Unatakiwa kufika", "Sahihi"]),
    ],
)
def test_the_printable_summons_in_english_and_kiswahili(world, team, language, words):
    case = open_case(world.acme, team.worker, narrative=NARRATIVE)
    summons = issue(world.acme, team.worker, case)
    with workspace_context(world.acme):
        summons = Summons.objects.select_related("case", "officer").get(pk=summons.pk)
        data = summons_pdf(summons, world.acme, language=language, compress=False)
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    for word in [*words, "Peter Otieno", case.national_reference, "Kip Worker", "Acme Children"]:
        assert word in text, word
    assert "locked in the house" not in text  # never the child's narrative
    assert case.child.first_name not in text


def test_the_summons_download_is_read_as_its_case_is_in_the_language_asked(world, team):
    case = open_case(world.acme, team.worker)
    summons = issue(world.acme, team.worker, case)
    url = f"/cases/{case.pk}/summons/{summons.pk}/print/"
    for user in (team.worker, team.supervisor, team.viewer):
        response = client_on(world.acme, user).get(url + "?language=sw")
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert "-sw.pdf" in response["Content-Disposition"]
    assert "-en.pdf" in client_on(world.acme, team.worker).get(url)["Content-Disposition"]
    team.worker.preferred_language = "sw"  # the user's own language by default
    team.worker.save(update_fields=["preferred_language"])
    assert "-sw.pdf" in client_on(world.acme, team.worker).get(url)["Content-Disposition"]
    assert client_on(world.acme, team.other_worker).get(url).status_code == 404
    assert client_on(world.beta, world.beta_worker).get(url).status_code == 404
