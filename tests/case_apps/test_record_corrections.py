"""Follow-ups, referrals and placements removed by mistake, and a follow-up's date corrected:
supervised removals with a reason kept in the case's history, the back-dating rule on the
corrected date, the national figures restated (retract and re-add), on screen and the API,
and never across organisations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from case_apps.cases import services
from case_apps.cases.models import CaseEvent, FollowUp, Placement, Referral
from case_apps.outbox.models import OutboxEvent
from national_statistics.drain import drain_organisation
from national_statistics.models import Fact
from tenants.actor import Forbidden, NotFound
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, open_case
from tests.conftest import client_on

pytestmark = pytest.mark.django_db
REASON = "Typed twice from the same visit form"


@pytest.fixture
def records(world, team):
    """An acme case of the supervised worker, reported ten days ago, with a follow-up, a
    referral and a placement."""
    today = timezone.localdate()
    case = open_case(world.acme, team.worker, date_reported=today - timedelta(days=10))
    worker = actor_of(world.acme, team.worker)
    with workspace_context(world.acme):
        follow_up = services.follow_up_record(
            case=case, actor=worker, follow_up_type="HVIS", date=today - timedelta(days=5)
        )
        referral = services.referral_record(
            case=case,
            actor=worker,
            actor_type="RDSA",
            destination="RDPL",
            reasons=["RMPR"],
            referred_on=today - timedelta(days=4),
        )
        placement = services.placement_record(
            case=case,
            actor=worker,
            care_type="AFFC",
            placed_with="A foster family",
            admitted_on=today - timedelta(days=3),
        )
    drain_organisation(world.acme)
    return case, follow_up, referral, placement


def kinds(organisation) -> set[str]:
    return set(Fact.objects.filter(organisation=organisation).values_list("event_kind", flat=True))


def test_a_supervisor_removes_each_record_with_a_reason_and_the_figures_follow(
    world, team, records
):
    case, follow_up, referral, placement = records
    assert {"follow_up", "referral", "placement"} <= kinds(world.acme)
    supervisor = actor_of(world.acme, team.supervisor)
    with workspace_context(world.acme):
        services.follow_up_delete(
            actor=supervisor, case=case.pk, follow_up_id=follow_up.pk, reason=REASON
        )
        services.referral_delete(
            actor=supervisor, case=case, referral_id=referral.pk, reason="Wrong child's case"
        )
        services.placement_delete(
            actor=supervisor, case=case, placement_id=placement.pk, reason="It never happened"
        )
        assert not FollowUp.objects.filter(case=case).exists()
        assert not Referral.objects.filter(case=case).exists()
        assert not Placement.objects.filter(case=case).exists()
        history = {e.action: e for e in CaseEvent.objects.filter(case=case)}
        assert history["follow_up_deleted"].actor_id == team.supervisor.pk
        assert REASON in history["follow_up_deleted"].reason
        assert "HVIS" in history["follow_up_deleted"].reason  # what it was is kept
        assert "A foster family" in history["placement_deleted"].reason
        retracted = OutboxEvent.objects.filter(kind="retracted").values_list("source", flat=True)
        assert f"case:{case.pk}:followup:{follow_up.pk}" in set(retracted)
    drain_organisation(world.acme)
    assert not {"follow_up", "referral", "placement"} & kinds(world.acme)
    assert "case_opened" in kinds(world.acme)
    drain_organisation(world.acme)  # drained again: nothing changes
    assert not {"follow_up", "referral", "placement"} & kinds(world.acme)


def test_removal_is_supervised_and_needs_a_reason(world, team, records):
    case, follow_up, referral, _ = records
    with workspace_context(world.acme):
        with pytest.raises(Forbidden):  # the case worker sees the case but may not remove
            services.follow_up_delete(
                actor=actor_of(world.acme, team.worker),
                case=case,
                follow_up_id=follow_up.pk,
                reason=REASON,
            )
        with pytest.raises(NotFound):  # another worker does not see the case at all
            services.referral_delete(
                actor=actor_of(world.acme, team.other_worker),
                case=case,
                referral_id=referral.pk,
                reason=REASON,
            )
        with pytest.raises(ValidationError) as error:
            services.follow_up_delete(
                actor=actor_of(world.acme, team.supervisor),
                case=case,
                follow_up_id=follow_up.pk,
                reason="oops",
            )
        assert "reason" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            services.follow_up_delete(
                actor=actor_of(world.acme, team.supervisor),
                case=case,
                follow_up_id=follow_up.pk,
                reason="x" * 2_001,
            )
        assert "reason" in error.value.message_dict
        assert FollowUp.objects.filter(pk=follow_up.pk).exists()
        assert not CaseEvent.objects.filter(case=case, action__endswith="_deleted").exists()


def test_a_corrected_follow_up_date_obeys_the_back_dating_rule_and_moves_its_fact(
    world, team, records
):
    case, follow_up, _, _ = records
    worker = actor_of(world.acme, team.worker)
    today = timezone.localdate()
    with workspace_context(world.acme):
        for wrong in (today + timedelta(days=1), case.date_reported - timedelta(days=1)):
            with pytest.raises(ValidationError) as error:
                services.follow_up_date_correct(
                    actor=worker, case=case, follow_up_id=follow_up.pk, date=wrong
                )
            assert "date" in error.value.message_dict
        corrected = case.date_reported + timedelta(days=1)
        services.follow_up_date_correct(
            actor=worker, case=case, follow_up_id=follow_up.pk, date=corrected
        )
        follow_up.refresh_from_db()
        assert follow_up.date == corrected
        event = CaseEvent.objects.get(case=case, action="follow_up_date_corrected")
        assert str(corrected) in event.reason
    drain_organisation(world.acme)
    dates = Fact.objects.filter(organisation=world.acme, event_kind="follow_up")
    assert list(dates.values_list("occurred_on", flat=True)) == [corrected]


def test_screens_offer_the_actions_to_whom_they_belong_and_say_what_happened(world, team, records):
    case, follow_up, referral, placement = records
    worker = client_on(world.acme, team.worker)
    page = worker.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="correct-date"' in page and 'data-testid="remove-record"' not in page
    assert worker.get(f"/cases/{case.pk}/follow-ups/{follow_up.pk}/delete/").status_code == 403
    corrected = case.date_reported + timedelta(days=2)
    response = worker.post(
        f"/cases/{case.pk}/follow-ups/{follow_up.pk}/date/",
        {"date": corrected.isoformat()},
        follow=True,
    )
    assert "corrected from" in response.content.decode()
    with workspace_context(world.acme):
        assert FollowUp.objects.get(pk=follow_up.pk).date == corrected

    supervisor = client_on(world.acme, team.supervisor)
    page = supervisor.get(f"/cases/{case.pk}/").content.decode()
    assert page.count('data-testid="remove-record"') == 3
    form = supervisor.get(f"/cases/{case.pk}/placements/{placement.pk}/delete/")
    assert form.status_code == 200 and "A foster family" in form.content.decode()
    short = supervisor.post(f"/cases/{case.pk}/placements/{placement.pk}/delete/", {"reason": "x"})
    assert short.status_code == 200  # the form again, with its error; nothing removed
    with workspace_context(world.acme):
        assert Placement.objects.filter(pk=placement.pk).exists()
    for path in (
        f"/cases/{case.pk}/placements/{placement.pk}/delete/",
        f"/cases/{case.pk}/referrals/{referral.pk}/delete/",
        f"/cases/{case.pk}/follow-ups/{follow_up.pk}/delete/",
    ):
        done = supervisor.post(path, {"reason": REASON}, follow=True)
        assert "removed from case" in done.content.decode()
    timeline = supervisor.get(f"/cases/{case.pk}/").content.decode()
    assert "Placement removed" in timeline and "Follow-up removed" in timeline
    assert REASON in timeline and "Sara Supervisor" in timeline


def test_the_api_corrects_and_removes(world, team, records):
    case, follow_up, referral, placement = records
    worker = client_on(world.acme, team.worker)
    corrected = case.date_reported + timedelta(days=3)
    url = f"/api/v1/cases/{case.pk}/follow-ups/{follow_up.pk}"
    response = worker.patch(url, {"date": corrected.isoformat()}, content_type="application/json")
    assert response.status_code == 200, response.content
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = worker.patch(url, {"date": future}, content_type="application/json")
    assert response.status_code == 422 and "date" in str(response.json()["detail"])
    refused = worker.post(f"{url}/delete", {"reason": REASON}, content_type="application/json")
    assert refused.status_code == 403
    supervisor = client_on(world.acme, team.supervisor)
    short = supervisor.post(f"{url}/delete", {"reason": "no"}, content_type="application/json")
    assert short.status_code == 422 and "reason" in str(short.json()["detail"])
    for path in (
        f"{url}/delete",
        f"/api/v1/cases/{case.pk}/referrals/{referral.pk}/delete",
        f"/api/v1/cases/{case.pk}/placements/{placement.pk}/delete",
    ):
        done = supervisor.post(path, {"reason": REASON}, content_type="application/json")
        assert done.status_code == 200 and done.json()["removed"] is True
        again = supervisor.post(path, {"reason": REASON}, content_type="application/json")
        assert again.status_code == 404
    with workspace_context(world.acme):
        assert FollowUp.objects.get_queryset().filter(case=case).count() == 0
        assert CaseEvent.objects.filter(case=case, action__endswith="_deleted").count() == 3


def test_no_organisation_corrects_or_removes_another_ones_records(world, team, records):
    """beta's worker, on acme's host or its own with acme's ids, changes nothing of acme's;
    an acme supervisor on beta's host neither."""
    case, follow_up, referral, placement = records
    paths = {
        "patch": f"/api/v1/cases/{case.pk}/follow-ups/{follow_up.pk}",
        "follow_up": f"/api/v1/cases/{case.pk}/follow-ups/{follow_up.pk}/delete",
        "referral": f"/api/v1/cases/{case.pk}/referrals/{referral.pk}/delete",
        "placement": f"/api/v1/cases/{case.pk}/placements/{placement.pk}/delete",
    }
    screens = [
        f"/cases/{case.pk}/follow-ups/{follow_up.pk}/date/",
        f"/cases/{case.pk}/follow-ups/{follow_up.pk}/delete/",
        f"/cases/{case.pk}/referrals/{referral.pk}/delete/",
        f"/cases/{case.pk}/placements/{placement.pk}/delete/",
    ]
    body = {"reason": REASON, "date": case.date_reported.isoformat()}
    for client in (
        client_on(world.acme, world.beta_worker),  # not a member of acme
        client_on(world.beta, world.beta_worker),  # beta's own host: acme's ids mean nothing
        client_on(world.beta, team.supervisor),  # acme's supervisor on beta's host
    ):
        for kind, path in paths.items():
            send = client.patch if kind == "patch" else client.post
            response = send(path, body, content_type="application/json")
            assert response.status_code in (401, 403, 404), (path, response.status_code)
        for path in screens:
            response = client.post(path, body)
            assert response.status_code in (302, 403, 404), (path, response.status_code)
            if response.status_code == 302:  # sent to sign in, never to a confirmation
                assert "/cases/" not in response["Location"]
    with workspace_context(world.acme):
        assert FollowUp.objects.get(pk=follow_up.pk).date == follow_up.date
        assert Referral.objects.filter(pk=referral.pk).exists()
        assert Placement.objects.filter(pk=placement.pk).exists()
        assert not CaseEvent.objects.filter(case=case, action__endswith="_deleted").exists()
