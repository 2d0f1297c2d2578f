"""Interventions after intake (issue 17): recorded against one of the case's categories, dated
by the day they happened, removed only by a supervisor with a reason; their facts feed the
case-load summary (interventions, cases opened with one and their share)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from case_apps.cases import services
from case_apps.cases.models import CaseCategory, CaseEvent, CaseRecord
from case_apps.cases.models_interventions import CaseIntervention
from case_apps.cases.services.interventions import intervention_delete, intervention_record
from case_apps.outbox.models import OutboxEvent
from tenants.actor import Forbidden
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, open_case
from tests.conftest import client_on

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
REASON = "Typed twice from the paper form"


def _two_category_case(world, team):
    return open_case(
        world.acme,
        team.worker,
        date_reported=TODAY() - timedelta(days=10),
        categories=[
            services.CategoryInput(category_code="CSIC"),
            services.CategoryInput(category_code="CCDF"),
        ],
    )


def _record(world, user, case, **overrides):
    with workspace_context(world.acme):
        category = case.categories.order_by("id").first()
        fields = {
            "category_id": category.pk,
            "intervention_code": "PCNS",
            "date": TODAY() - timedelta(days=2),
            "notes": "Three sessions with the counsellor",
        }
        fields.update(overrides)
        return intervention_record(case=case, actor=actor_of(world.acme, user), **fields)


def test_an_intervention_is_recorded_on_a_category_with_its_event_and_fact(world, team):
    case = _two_category_case(world, team)
    intervention = _record(world, team.worker, case)
    with workspace_context(world.acme):
        saved = CaseIntervention.objects.get(pk=intervention.pk)
        assert saved.category.category_code == "CSIC" and not saved.is_final
        assert saved.officer_id == team.worker.pk
        event = CaseEvent.objects.get(case=case, action="intervention_recorded")
        assert event.actor_id == team.worker.pk and "PCNS" in event.reason
        fact = OutboxEvent.objects.get(kind="intervention")
        assert fact.source == f"case:{case.pk}:intervention:{intervention.pk}"
        assert timezone.localtime(fact.occurred_at).date() == TODAY() - timedelta(days=2)
        assert fact.payload["category"] == "PCNS" and "notes" not in fact.payload


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": TODAY() + timedelta(days=1)}, "date"),
        ({"date": TODAY() - timedelta(days=30)}, "date"),  # before the case was reported
        ({"intervention_code": "ZZZZ"}, "intervention_code"),
        ({"intervention_code": ""}, "intervention_code"),
        ({"category_id": 999_999}, "category_id"),
    ],
)
def test_bad_interventions_are_refused_naming_the_field(world, team, overrides, field):
    case = _two_category_case(world, team)
    with pytest.raises(ValidationError) as error:
        _record(world, team.worker, case, **overrides)
    assert field in error.value.message_dict
    with workspace_context(world.acme):
        assert not CaseIntervention.objects.exists()
        assert not OutboxEvent.objects.filter(kind="intervention").exists()


def test_the_category_must_be_one_of_the_cases_own(world, team):
    case = _two_category_case(world, team)
    other = open_case(world.acme, team.worker)
    with workspace_context(world.acme):
        foreign = CaseCategory.objects.get(case=other)
    with pytest.raises(ValidationError) as error:
        _record(world, team.worker, case, category_id=foreign.pk)
    assert "category_id" in error.value.message_dict


def test_a_viewer_records_nothing_and_a_closed_case_takes_no_intervention(world, team):
    case = _two_category_case(world, team)
    with pytest.raises(Forbidden):
        _record(world, team.viewer, case)
    with workspace_context(world.acme):
        CaseRecord.objects.filter(pk=case.pk).update(status="closed")
    with pytest.raises(ValidationError):
        _record(world, team.worker, case)
    with workspace_context(world.acme):
        assert not CaseIntervention.objects.exists()


def test_only_a_supervisor_removes_an_intervention_with_a_reason_and_it_stays_in_history(
    world, team
):
    case = _two_category_case(world, team)
    intervention = _record(world, team.worker, case)
    with workspace_context(world.acme):
        with pytest.raises(Forbidden):
            intervention_delete(
                case=case,
                actor=actor_of(world.acme, team.worker),
                intervention_id=intervention.pk,
                reason=REASON,
            )
        with pytest.raises(ValidationError):
            intervention_delete(
                case=case,
                actor=actor_of(world.acme, team.supervisor),
                intervention_id=intervention.pk,
                reason="oops",
            )
        assert CaseIntervention.objects.filter(pk=intervention.pk).exists()
        intervention_delete(
            case=case,
            actor=actor_of(world.acme, team.supervisor),
            intervention_id=intervention.pk,
            reason=REASON,
        )
        assert not CaseIntervention.objects.exists()
        removal = CaseEvent.objects.get(case=case, action="intervention_deleted")
        assert "PCNS" in removal.reason and REASON in removal.reason
        retraction = OutboxEvent.objects.get(kind="retracted")
        assert retraction.source == f"case:{case.pk}:intervention:{intervention.pk}"
    page = client_on(world.acme, team.supervisor).get(f"/cases/{case.pk}/").content.decode()
    timeline = page.split('data-testid="timeline"')[1]
    assert "Intervention removed" in timeline and REASON in timeline, timeline[:3000]


def test_the_case_page_records_shows_and_removes_interventions(world, team):
    case = _two_category_case(world, team)
    worker = client_on(world.acme, team.worker)
    page = worker.get(f"/cases/{case.pk}/").content.decode()
    assert "Record intervention" in page and "No intervention recorded yet." in page
    form = worker.get(f"/cases/{case.pk}/interventions/new/")
    assert form.status_code == 200 and "Professional counselling" in form.content.decode()
    with workspace_context(world.acme):
        category = case.categories.get(category_code="CCDF")
    typed = {
        "category_id": category.pk,
        "intervention_code": "PCNS",
        "date": (TODAY() + timedelta(days=3)).isoformat(),
        "notes": "Counselling at the hospital",
    }
    refused = worker.post(f"/cases/{case.pk}/interventions/new/", typed)
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "cannot be recorded for a future date" in body and "Counselling at the hospital" in body
    typed["date"] = (TODAY() - timedelta(days=1)).isoformat()
    saved = worker.post(f"/cases/{case.pk}/interventions/new/", typed)
    assert saved.status_code == 302
    page = worker.get(f"/cases/{case.pk}/").content.decode()
    panel = page.split('data-testid="interventions-panel"')[1]
    assert "Professional counselling" in panel and "PCNS</" not in panel
    assert 'data-testid="remove-intervention"' not in panel  # a case worker removes nothing
    with workspace_context(world.acme):
        intervention = CaseIntervention.objects.get()
        assert intervention.category_id == category.pk
    supervisor = client_on(world.acme, team.supervisor)
    assert (
        'data-testid="remove-intervention"' in supervisor.get(f"/cases/{case.pk}/").content.decode()
    )
    removed = supervisor.post(
        f"/cases/{case.pk}/interventions/{intervention.pk}/remove/", {"reason": REASON}
    )
    assert removed.status_code == 302
    with workspace_context(world.acme):
        assert not CaseIntervention.objects.exists()


def test_the_api_lists_categories_records_and_lists_interventions_422_naming_the_field(world, team):
    case = _two_category_case(world, team)
    worker = client_on(world.acme, team.worker)
    categories = worker.get(f"/api/v1/cases/{case.pk}/categories").json()
    assert [c["category_code"] for c in categories] == ["CSIC", "CCDF"]
    body = {
        "category_id": categories[1]["id"],
        "intervention_code": "RTKC",
        "date": TODAY().isoformat(),
    }
    bad = worker.post(
        f"/api/v1/cases/{case.pk}/interventions",
        {**body, "intervention_code": "ZZZZ"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "intervention_code" in bad.content.decode()
    future = worker.post(
        f"/api/v1/cases/{case.pk}/interventions",
        {**body, "date": (TODAY() + timedelta(days=1)).isoformat()},
        content_type="application/json",
    )
    assert future.status_code == 422 and "date" in future.content.decode()
    created = worker.post(
        f"/api/v1/cases/{case.pk}/interventions", body, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    listed = worker.get(f"/api/v1/cases/{case.pk}/interventions").json()
    assert [(i["intervention_code"], i["category_code"], i["is_final"]) for i in listed] == [
        ("RTKC", "CCDF", False)
    ]
    removal = f"/api/v1/cases/{case.pk}/interventions/{created.json()['id']}/removal"
    as_worker = worker.post(removal, {"reason": REASON}, content_type="application/json")
    assert as_worker.status_code == 403
    as_supervisor = client_on(world.acme, team.supervisor).post(
        removal, {"reason": REASON}, content_type="application/json"
    )
    assert as_supervisor.status_code == 200
    assert worker.get(f"/api/v1/cases/{case.pk}/interventions").json() == []


def test_no_organisation_reads_or_changes_another_ones_interventions(world, team):
    case = _two_category_case(world, team)
    intervention = _record(world, team.worker, case)
    body = {
        "category_id": intervention.category_id,
        "intervention_code": "RTKC",
        "date": TODAY().isoformat(),
        "reason": REASON,
    }
    for client in (
        client_on(world.acme, world.beta_worker),  # not a member of acme
        client_on(world.beta, world.beta_worker),  # beta's own host: acme's ids mean nothing
    ):
        for path in (
            f"/api/v1/cases/{case.pk}/interventions",
            f"/api/v1/cases/{case.pk}/categories",
        ):
            assert client.get(path).status_code in (401, 403, 404), path
        for path in (
            f"/api/v1/cases/{case.pk}/interventions",
            f"/api/v1/cases/{case.pk}/interventions/{intervention.pk}/removal",
        ):
            response = client.post(path, body, content_type="application/json")
            assert response.status_code in (401, 403, 404), (path, response.status_code)
        for path in (
            f"/cases/{case.pk}/interventions/new/",
            f"/cases/{case.pk}/interventions/{intervention.pk}/remove/",
        ):
            response = client.post(path, body)
            assert response.status_code in (302, 403, 404), (path, response.status_code)
            if response.status_code == 302:  # sent to sign in, never to a confirmation
                assert "/cases/" not in response["Location"]
    beta_on_beta = client_on(world.beta, world.beta_worker)
    assert beta_on_beta.get(f"/api/v1/cases/{case.pk}/interventions").status_code == 404
    with workspace_context(world.acme):
        assert list(CaseIntervention.objects.values_list("pk", flat=True)) == [intervention.pk]
        assert not CaseEvent.objects.filter(action="intervention_deleted").exists()


def test_the_case_load_summary_counts_interventions_and_the_share_of_cases_with_one(world, team):
    from national_statistics.definitions import SHARE_ROW, WITH_INTERVENTION_ROW, report_build
    from national_statistics.drain import drain_organisation
    from national_statistics.reports import release
    from national_statistics.selectors import StatisticsScope
    from national_statistics.suppression import SUPPRESSED, TOTAL

    cases = [_two_category_case(world, team) for _ in range(4)]
    _record(world, team.worker, cases[0])
    _record(world, team.worker, cases[0], intervention_code="RTKC")
    _record(world, team.worker, cases[1])
    drain_organisation(world.acme)
    month = TODAY().replace(day=1)
    first = (TODAY() - timedelta(days=10)).replace(day=1)
    report = report_build(
        "case_load_summary", StatisticsScope(organisation_id=world.acme.pk), first, month
    )
    assert report.cell("interventions", TOTAL) == 3
    assert report.cell(WITH_INTERVENTION_ROW, TOTAL) == 2  # each case once
    assert report.cell(SHARE_ROW, TOTAL) == 50  # 2 of the 4 cases opened
    assert report.cell("cases_reopened", TOTAL) == 0
    published = release(report, "published")
    assert published.cell(WITH_INTERVENTION_ROW, TOTAL) == SUPPRESSED
    assert published.cell(SHARE_ROW, TOTAL) == SUPPRESSED  # would give the small count away
