"""Court sessions and court orders: the service's rules, the lists of upcoming court dates and
orders in force by caseload scope, the API (422s, isolation), the screens, the timeline, and
the move of court follow-ups into their own records."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from case_apps.cases import facts
from case_apps.cases.models import CaseEvent, FollowUp
from case_apps.cases.models_court import CourtOrder, CourtSession, Summons
from case_apps.cases.selectors_court import (
    COUNTY,
    MINE,
    CourtFilters,
    orders_in_force,
    upcoming_court_dates,
)
from case_apps.cases.services.court import CourtOrderInput, court_order_end, court_session_record
from case_apps.outbox.models import OutboxEvent
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, make_child, open_case
from tests.conftest import client_on

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def session(organisation, user, case, **overrides):
    fields = {
        "session_date": TODAY() - timedelta(days=1),
        "court_name": "Kisumu Children's Court",
        "court_file_number": "CP 12/2026",
        "session_type": "STMN",
        "outcome": "CADJ",
        "adjournment_reason": "CHEA",
        "next_court_date": TODAY() + timedelta(days=14),
    }
    fields.update(overrides)
    with workspace_context(organisation):
        return court_session_record(actor=actor_of(organisation, user), case=case, **fields)


def test_a_session_with_an_order_records_its_history_and_facts_dated_by_the_session(world, team):
    case = open_case(world.acme, team.worker)
    held = TODAY() - timedelta(days=2)
    recorded = session(
        world.acme,
        team.worker,
        case,
        session_date=held,
        orders=[CourtOrderInput("OCCI", ends_on=TODAY() + timedelta(days=30))],
    )
    with workspace_context(world.acme):
        order = CourtOrder.objects.get()
        assert (order.session_id, order.starts_on, order.in_force) == (recorded.pk, held, True)
        assert CaseEvent.objects.filter(case=case, action="court_session_recorded").count() == 1
        facts = {e.kind: e for e in OutboxEvent.objects.filter(kind__startswith="court_")}
        assert facts["court_session"].payload["category"] == "STMN"
        assert facts["court_order"].payload["category"] == "OCCI"
        assert {timezone.localtime(e.occurred_at).date() for e in facts.values()} == {held}
        assert facts["court_order"].source == f"case:{case.pk}:court_order:{order.pk}"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"session_date": TODAY() + timedelta(days=1)}, "session_date"),
        ({"session_date": TODAY() - timedelta(days=30)}, "session_date"),  # before reported
        ({"next_court_date": None}, "next_court_date"),  # an adjournment needs it
        ({"next_court_date": TODAY() - timedelta(days=1)}, "next_court_date"),  # = session
        ({"adjournment_reason": ""}, "adjournment_reason"),
        ({"outcome": "CRJD"}, "adjournment_reason"),  # a reason without an adjournment
        ({"session_type": "XXXX"}, "session_type"),
        ({"outcome": ""}, "outcome"),
        ({"court_name": "  "}, "court_name"),
        ({"plea": "PLGU"}, "plea"),  # a plea at a mention
        ({"session_type": "STPL", "plea": "PLXX"}, "plea"),
        ({"application_outcome": "APGR"}, "application_outcome"),
        ({"orders": [CourtOrderInput("ZZZZ")]}, "order_code"),
        (
            {"orders": [CourtOrderInput("OFST", TODAY(), TODAY() - timedelta(days=1))]},
            "order_ends_on",
        ),
        ({"orders": [CourtOrderInput("OFST", TODAY() - timedelta(days=2))]}, "order_starts_on"),
    ],
)
def test_a_wrong_session_is_refused_naming_the_field_and_nothing_is_written(
    world, team, overrides, field
):
    case = open_case(world.acme, team.worker)
    with pytest.raises(ValidationError) as error:
        session(world.acme, team.worker, case, **overrides)
    assert field in error.value.message_dict
    with workspace_context(world.acme):
        assert not CourtSession.objects.exists() and not CourtOrder.objects.exists()
        assert not OutboxEvent.objects.filter(kind__startswith="court_").exists()


def test_a_plea_and_an_application_outcome_go_with_their_sessions(world, team):
    case = open_case(world.acme, team.worker)
    plea = session(world.acme, team.worker, case, session_type="STPL", plea="PLNG")
    application = session(
        world.acme,
        team.worker,
        case,
        session_type="STAP",
        application_outcome="APGR",
        outcome="CRUL",
        adjournment_reason="",
        next_court_date=None,
    )
    assert (plea.plea, application.application_outcome) == ("PLNG", "APGR")


def test_the_next_court_date_may_be_ahead_but_the_session_may_not(world, team):
    case = open_case(world.acme, team.worker)
    far = TODAY() + timedelta(days=200)
    assert session(world.acme, team.worker, case, next_court_date=far).next_court_date == far


def test_a_closed_case_takes_no_session(world, team):
    from case_apps.cases.models import CaseRecord, CaseStatus

    case = open_case(world.acme, team.worker)
    with workspace_context(world.acme):
        CaseRecord.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    with pytest.raises(ValidationError):
        session(world.acme, team.worker, case)


def _dates(world, user, **filters):
    with workspace_context(world.acme):
        actor = actor_of(world.acme, user)
        found = upcoming_court_dates(actor=actor, filters=CourtFilters(**filters))
        return {s.case_id for s in found}


def test_upcoming_court_dates_follow_the_caseload_scope_and_the_filters(
    world, team, kenya_geography
):
    mine = open_case(world.acme, team.worker, occurrence_county_code="042")
    others = open_case(
        world.acme, team.other_worker, make_child("Chebet", "Kiprono"), occurrence_county_code="047"
    )
    past = open_case(world.acme, team.worker, make_child("Juma", "Ali"))
    superseded = open_case(world.acme, team.worker, make_child("Zawadi", "Moraa"))
    session(world.acme, team.worker, mine, next_court_date=TODAY() + timedelta(days=5))
    session(
        world.acme,
        team.other_worker,
        others,
        court_name="Nairobi Children's Court",
        next_court_date=TODAY() + timedelta(days=20),
    )
    session(
        world.acme,
        team.worker,
        past,
        session_date=TODAY() - timedelta(days=3),
        next_court_date=TODAY() - timedelta(days=1),
    )
    # the date set at the first session was brought forward by the next one
    session(
        world.acme,
        team.worker,
        superseded,
        session_date=TODAY() - timedelta(days=3),
        next_court_date=TODAY() + timedelta(days=30),
    )
    session(
        world.acme,
        team.worker,
        superseded,
        outcome="CRJD",
        adjournment_reason="",
        next_court_date=None,
    )
    assert _dates(world, team.worker) == {mine.pk}  # their own cases only
    assert _dates(world, team.worker, scope=MINE) == {mine.pk}
    assert _dates(world, team.supervisor) == {mine.pk}  # their team
    assert _dates(world, world.acme_admin) == {mine.pk, others.pk}
    assert _dates(world, world.acme_admin, scope=MINE) == set()
    assert _dates(world, world.acme_admin, scope=COUNTY, county="047") == {others.pk}
    assert _dates(world, world.acme_admin, court="nairobi") == {others.pk}
    window = {"date_from": TODAY() + timedelta(days=1), "date_to": TODAY() + timedelta(days=10)}
    assert _dates(world, world.acme_admin, **window) == {mine.pk}
    assert _dates(world, world.acme_admin, search=others.national_reference) == {others.pk}


def test_orders_in_force_are_those_whose_period_includes_today(world, team):
    case = open_case(world.acme, team.worker)
    held = TODAY() - timedelta(days=2)
    session(
        world.acme,
        team.worker,
        case,
        session_date=held,
        outcome="CRCT",
        adjournment_reason="",
        next_court_date=None,
        orders=[
            CourtOrderInput("OCCI"),  # open-ended
            CourtOrderInput("OFST", held, held + timedelta(days=1)),  # ended yesterday
            CourtOrderInput("OSUP", TODAY() + timedelta(days=1)),  # starts tomorrow
            CourtOrderInput("OPRO", held, TODAY()),  # ends today: still in force
        ],
    )
    with workspace_context(world.acme):
        worker = actor_of(world.acme, team.worker)
        found = orders_in_force(actor=worker, filters=CourtFilters())
        assert sorted(o.order_code for o in found) == ["OCCI", "OPRO"]
        only = orders_in_force(actor=worker, filters=CourtFilters(order_code="OPRO"))
        assert [o.order_code for o in only] == ["OPRO"]
        other = actor_of(world.acme, team.other_worker)
        assert not orders_in_force(actor=other, filters=CourtFilters()).exists()
        occi = CourtOrder.objects.get(order_code="OCCI")
        court_order_end(actor=worker, case=case, order_id=occi.pk, ends_on=held)
        assert "OCCI" not in {
            o.order_code for o in orders_in_force(actor=worker, filters=CourtFilters())
        }
        with pytest.raises(ValidationError) as error:
            court_order_end(
                actor=worker, case=case, order_id=occi.pk, ends_on=held - timedelta(days=1)
            )
        assert "ends_on" in error.value.message_dict


# --- API ----------------------------------------------------------------------------------
def body(**overrides):
    data = {
        "session_date": (TODAY() - timedelta(days=1)).isoformat(),
        "court_name": "Kisumu Children's Court",
        "session_type": "STHR",
        "outcome": "CADJ",
        "adjournment_reason": "CAJD",
        "next_court_date": (TODAY() + timedelta(days=7)).isoformat(),
        "orders": [{"order_code": "OCCI"}],
    }
    data.update(overrides)
    return data


def test_api_records_lists_and_replays_a_session(world, team):
    case = open_case(world.acme, team.worker)
    worker = client_on(world.acme, team.worker)
    url = f"/api/v1/cases/{case.pk}/court-sessions"
    uuid = "4b0f3a52-8f5e-4c56-9a55-2b1c3e1e7a01"
    created = worker.post(url, body(uuid=uuid), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["orders"][0]["order_code"] == "OCCI"
    again = worker.post(url, body(uuid=uuid), content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    assert [s["id"] for s in worker.get(url).json()] == [created.json()["id"]]
    upcoming = worker.get("/api/v1/court/upcoming?scope=mine").json()["items"]
    assert [u["case_reference"] for u in upcoming] == [case.national_reference]
    in_force = worker.get("/api/v1/court/orders-in-force?order_code=OCCI").json()["items"]
    assert [o["order_code"] for o in in_force] == ["OCCI"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"next_court_date": None}, "next_court_date"),
        ({"session_type": "NOPE"}, "session_type"),
        ({"session_date": (TODAY() + timedelta(days=2)).isoformat()}, "session_date"),
        ({"orders": [{"order_code": "OCCI", "ends_on": "2000-01-01"}]}, "order_ends_on"),
        ({"session_date": "not a date"}, "session_date"),
    ],
)
def test_api_refuses_a_wrong_session_with_422_naming_the_field(world, team, overrides, field):
    case = open_case(world.acme, team.worker)
    response = client_on(world.acme, team.worker).post(
        f"/api/v1/cases/{case.pk}/court-sessions",
        body(**overrides),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert field in response.json()["errors"]
    with workspace_context(world.acme):
        assert not CourtSession.objects.exists()


def test_another_organisation_or_officer_cannot_read_or_add_sessions(world, team):
    case = open_case(world.acme, team.worker)
    recorded = session(world.acme, team.worker, case, orders=[CourtOrderInput("OCCI")])
    url = f"/api/v1/cases/{case.pk}/court-sessions"
    for client in (
        client_on(world.beta, world.beta_worker),
        client_on(world.acme, team.other_worker),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, body(), content_type="application/json").status_code == 404
        order_url = f"{url}/{recorded.pk}/orders"
        answer = client.post(order_url, {"order_code": "OFST"}, content_type="application/json")
        assert answer.status_code == 404
        for listing in ("/api/v1/court/upcoming", "/api/v1/court/orders-in-force"):
            items = client.get(listing).json().get("items", [])
            assert case.national_reference not in str(items)
        for page in (
            "/cases/court/",
            "/cases/court/orders/",
            f"/cases/{case.pk}/court-sessions/new/",
        ):
            response = client.get(page)
            assert case.national_reference.encode() not in response.content, page
    assert (
        client_on(world.beta, world.beta_worker)
        .get(f"/cases/{case.pk}/court-sessions/new/")
        .status_code
        == 404
    )
    with workspace_context(world.acme):
        assert CourtSession.objects.count() == 1 and CourtOrder.objects.count() == 1


# --- screens --------------------------------------------------------------------------------
def form(**overrides):
    data = {
        "session_date": (TODAY() - timedelta(days=1)).isoformat(),
        "court_name": "Kisumu Children's Court",
        "court_file_number": "CP 3/2026",
        "session_type": "STMN",
        "outcome": "CADJ",
        "adjournment_reason": "CMEN",
        "next_court_date": (TODAY() + timedelta(days=10)).isoformat(),
        "order_code": "OCCI",
    }
    data.update(overrides)
    return data


def test_the_session_form_records_and_the_case_page_shows_it(world, team):
    case = open_case(world.acme, team.worker)
    client = client_on(world.acme, team.worker)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert (
        f"/cases/{case.pk}/court-sessions/new/" in page and f"/cases/{case.pk}/summons/new/" in page
    )
    response = client.post(f"/cases/{case.pk}/court-sessions/new/", form())
    assert response.status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Court session: Mention" in page  # the timeline
    assert "Interim care order to CCI/rescue home" in page  # the panel and the timeline
    assert 'data-testid="court-panel"' in page
    next_date = TODAY() + timedelta(days=10)
    assert f"{next_date.day} {next_date:%b %Y}" in page


def test_the_session_form_keeps_what_was_typed_when_refused(world, team):
    case = open_case(world.acme, team.worker)
    client = client_on(world.acme, team.worker)
    response = client.post(
        f"/cases/{case.pk}/court-sessions/new/", form(next_court_date="", court_file_number="CP 77")
    )
    assert response.status_code == 200
    assert "next_court_date" in response.context["form"].errors
    assert "CP 77" in response.content.decode()
    with workspace_context(world.acme):
        assert not CourtSession.objects.exists()


def test_the_follow_up_form_no_longer_offers_court_sessions_or_summons(world, team):
    case = open_case(world.acme, team.worker)
    response = client_on(world.acme, team.worker).get(f"/cases/{case.pk}/follow-ups/new/")
    choices = dict(response.context["form"].fields["follow_up_type"].choices)
    assert "HVIS" in choices and "CRTS" not in choices and "SUMM" not in choices
    assert "court_name" not in response.context["form"].fields


def test_court_lists_on_screen_filter_by_scope_date_court_and_order(world, team):
    mine = open_case(world.acme, team.worker)
    others = open_case(world.acme, team.other_worker, make_child("Chebet", "Kiprono"))
    session(world.acme, team.worker, mine, orders=[CourtOrderInput("OCCI")])
    session(
        world.acme,
        team.other_worker,
        others,
        court_name="Nairobi Children's Court",
        next_court_date=TODAY() + timedelta(days=40),
        orders=[CourtOrderInput("OFST")],
    )
    admin = client_on(world.acme, world.acme_admin)
    page = admin.get("/cases/court/").content.decode()
    assert mine.national_reference in page and others.national_reference in page
    page = admin.get("/cases/court/?court=nairobi").content.decode()
    assert mine.national_reference not in page and others.national_reference in page
    until = (TODAY() + timedelta(days=20)).isoformat()
    page = admin.get(f"/cases/court/?date_to={until}").content.decode()
    assert mine.national_reference in page and others.national_reference not in page
    page = admin.get("/cases/court/?scope=mine").content.decode()
    assert mine.national_reference not in page and others.national_reference not in page
    page = admin.get("/cases/court/orders/?order_code=OFST").content.decode()
    assert others.national_reference in page and mine.national_reference not in page
    assert "Foster care" in page and ">OFST<" not in page  # labels, not codes
    page = client_on(world.acme, team.worker).get("/cases/court/orders/").content.decode()
    assert mine.national_reference in page and others.national_reference not in page
    home = client_on(world.acme, team.worker).get("/").content.decode()
    assert 'href="/cases/court/"' in home  # the Court navigation entry


# --- court follow-ups recorded before sessions had their own records -----------------------
def test_court_and_summons_follow_ups_move_into_their_own_records(world, team):
    case = open_case(world.acme, team.worker)
    day = case.date_reported
    moved = importlib.import_module("case_apps.cases.migrations.0007_court_follow_ups_moved")
    with workspace_context(world.acme):
        court = FollowUp.objects.create(
            case=case,
            follow_up_type="CRTS",
            date=day,
            notes="Mention before the magistrate",
            officer=team.worker,
            court_name="Kibera Law Courts",
            court_file_number="CP 1/2026",
            court_session_type="STMN",
            court_outcome="CADJ",
            adjournment_reason="CHEA",
            next_court_date=day + timedelta(days=30),
            court_order="OCCI",
        )
        summons = FollowUp.objects.create(
            case=case,
            follow_up_type="SUMM",
            date=day,
            notes="Father summoned",
            officer=team.worker,
            summons_issued_on=day,
            summons_served_on=day + timedelta(days=1),
            summons_honoured=True,
            summons_honoured_on=day + timedelta(days=2),
        )
        visit = FollowUp.objects.create(
            case=case, follow_up_type="HVIS", date=day, officer=team.worker
        )
        for follow_up in (court, summons, visit):
            facts.follow_up_fact(case, world.acme, follow_up)
        moved.follow_ups_to_records(apps, None)
        assert list(FollowUp.objects.values_list("pk", flat=True)) == [visit.pk]
        recorded = CourtSession.objects.get()
        assert (recorded.uuid, recorded.legacy_follow_up_id) == (court.uuid, court.pk)
        assert (recorded.court_name, recorded.session_type, recorded.outcome) == (
            "Kibera Law Courts",
            "STMN",
            "CADJ",
        )
        assert recorded.next_court_date == day + timedelta(days=30)
        assert recorded.notes == "Mention before the magistrate"
        order = CourtOrder.objects.get()
        assert (order.order_code, order.starts_on, order.session_id) == ("OCCI", day, recorded.pk)
        called = Summons.objects.get()
        assert (called.uuid, called.legacy_follow_up_id) == (summons.uuid, summons.pk)
        assert (called.issued_on, called.served_on, called.honoured_on) == (
            day,
            day + timedelta(days=1),
            day + timedelta(days=2),
        )
        assert called.honoured is True and called.notes == "Father summoned"
        # their facts moved too: the follow-ups' withdrawn, the session's and order's written
        # with the same dimensions and date; the visit's fact is untouched
        prefix = f"case:{case.pk}:"
        latest = {}
        for event in OutboxEvent.objects.filter(source__startswith=prefix).order_by("id"):
            latest[event.source] = event
        assert latest[f"{prefix}followup:{court.pk}"].kind == "retracted"
        assert latest[f"{prefix}followup:{summons.pk}"].kind == "retracted"
        assert latest[f"{prefix}followup:{visit.pk}"].kind == "follow_up"
        old_fact = OutboxEvent.objects.get(source=f"{prefix}followup:{court.pk}", kind="follow_up")
        session_fact = latest[f"{prefix}court_session:{recorded.pk}"]
        order_fact = latest[f"{prefix}court_order:{order.pk}"]
        assert session_fact.payload == {**old_fact.payload, "category": "STMN"}
        assert order_fact.payload["category"] == "OCCI"
        assert session_fact.occurred_at == order_fact.occurred_at == old_fact.occurred_at
        # and back again: the follow-ups are restored from the records
        moved.records_to_follow_ups(apps, None)
        assert set(FollowUp.objects.values_list("follow_up_type", flat=True)) == {
            "HVIS",
            "CRTS",
            "SUMM",
        }
    page = client_on(world.acme, team.worker).get(f"/cases/{case.pk}/").content.decode()
    assert "Kibera Law Courts" in page


def test_the_end_of_an_order_is_recorded_on_screen_and_it_leaves_the_orders_in_force(world, team):
    case = open_case(world.acme, team.worker)
    held = TODAY() - timedelta(days=2)
    session(world.acme, team.worker, case, session_date=held, orders=[CourtOrderInput("OCCI")])
    with workspace_context(world.acme):
        order = CourtOrder.objects.get()
    client = client_on(world.acme, team.worker)
    url = f"/cases/{case.pk}/court-orders/{order.pk}/end/"
    assert url in client.get(f"/cases/{case.pk}/").content.decode()
    early = (held - timedelta(days=1)).isoformat()
    refused = client.post(url, {"ends_on": early})
    assert refused.status_code == 200 and "ends_on" in refused.context["form"].errors
    assert (
        client.post(url, {"ends_on": (TODAY() - timedelta(days=1)).isoformat()}).status_code == 302
    )
    page = client.get("/cases/court/orders/").content.decode()
    assert case.national_reference not in page
    assert client_on(world.acme, team.other_worker).get(url).status_code == 404
    assert client_on(world.beta, world.beta_worker).get(url).status_code == 404
