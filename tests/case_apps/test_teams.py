"""Teams (issue 17): an organisation administrator says who supervises whom, on the Team
screen and the API; only members who may supervise supervise, nobody supervises themselves,
no link twice; each change is kept with who and when; another organisation's administrator
sees and changes nothing of acme's."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from case_apps.cases.models import Supervision
from case_apps.cases.models_teams import SupervisionChange
from case_apps.cases.selectors_teams import TeamFilters, supervision_links, team_members
from case_apps.cases.services.teams import supervision_add, supervision_remove
from tenants.actor import Forbidden
from tenants.models import Membership, Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.case_apps.conftest import actor_of
from tests.conftest import client_on
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/teams/supervisions"


@pytest.fixture
def beta_admin(world):
    admin = UserFactory(email="admin@beta.test", full_name="Bea Admin")
    membership_grant(user=admin, organisation=world.beta, roles=[Role.ORGANISATION_ADMIN])
    return admin


def _links(organisation) -> set[tuple[int, int]]:
    with workspace_context(organisation):
        return set(Supervision.objects.values_list("supervisor_id", "officer_id"))


# --- services -------------------------------------------------------------------------------
def test_an_administrator_names_a_supervisor_and_the_change_is_kept(world, team):
    with workspace_context(world.acme):
        link = supervision_add(
            actor=actor_of(world.acme, world.acme_admin),
            supervisor_id=team.supervisor.pk,
            officer_id=team.other_worker.pk,
        )
        change = SupervisionChange.objects.get()
        assert (change.kind, change.changed_by_id) == ("added", world.acme_admin.pk)
        assert (change.supervisor_id, change.officer_id) == (
            team.supervisor.pk,
            team.other_worker.pk,
        )
        # the write log records the link too (audit/registry.py)
        assert LogEntry.objects.get_for_object(link).filter(action=LogEntry.Action.CREATE).exists()
        supervision_remove(actor=actor_of(world.acme, world.acme_admin), supervision_id=link.pk)
        assert not Supervision.objects.filter(pk=link.pk).exists()
        removed = SupervisionChange.objects.filter(kind="removed").get()
        assert removed.changed_by_id == world.acme_admin.pk
        assert removed.officer_id == team.other_worker.pk


def test_only_members_who_may_supervise_supervise(world, team):
    with workspace_context(world.acme):
        admin = actor_of(world.acme, world.acme_admin)
        for supervisor in (team.worker, team.viewer, world.beta_worker, world.outsider):
            with pytest.raises(ValidationError) as refused:
                supervision_add(
                    actor=admin, supervisor_id=supervisor.pk, officer_id=team.other_worker.pk
                )
            assert "supervisor" in refused.value.message_dict
        # a viewer holds no cases: nobody supervises them
        with pytest.raises(ValidationError) as refused:
            supervision_add(
                actor=admin, supervisor_id=team.supervisor.pk, officer_id=team.viewer.pk
            )
        assert "officer" in refused.value.message_dict
    assert _links(world.acme) == {(team.supervisor.pk, team.worker.pk)}


def test_nobody_supervises_themselves_and_no_link_twice(world, team):
    with workspace_context(world.acme):
        admin = actor_of(world.acme, world.acme_admin)
        with pytest.raises(ValidationError) as refused:
            supervision_add(
                actor=admin, supervisor_id=team.supervisor.pk, officer_id=team.supervisor.pk
            )
        assert "themselves" in refused.value.message_dict["officer"][0]
        with pytest.raises(ValidationError) as refused:
            supervision_add(
                actor=admin, supervisor_id=team.supervisor.pk, officer_id=team.worker.pk
            )
        assert "already supervises" in refused.value.message_dict["officer"][0]
        assert SupervisionChange.objects.count() == 0
    assert _links(world.acme) == {(team.supervisor.pk, team.worker.pk)}


def test_supervisors_and_case_workers_do_not_manage_teams(world, team):
    with workspace_context(world.acme):
        link = Supervision.objects.get()
        for user in (team.supervisor, team.worker, team.viewer):
            actor = actor_of(world.acme, user)
            with pytest.raises(Forbidden):
                supervision_add(
                    actor=actor, supervisor_id=team.supervisor.pk, officer_id=team.other_worker.pk
                )
            with pytest.raises(Forbidden):
                supervision_remove(actor=actor, supervision_id=link.pk)
            with pytest.raises(Forbidden):
                team_members(actor=actor)
    assert _links(world.acme) == {(team.supervisor.pk, team.worker.pk)}


def _unsupervised(admin) -> set[int]:
    return {m.user.pk for m in team_members(actor=admin, filters=TeamFilters(unsupervised=True))}


def test_a_supervisor_who_left_shows_marked_and_the_filters_work(world, team):
    admin = actor_of(world.acme, world.acme_admin)
    with workspace_context(world.acme):
        # officers who hold cases without a supervisor; a viewer holds none
        assert _unsupervised(admin) == {
            team.other_worker.pk,
            world.acme_worker.pk,
            team.supervisor.pk,
            world.acme_admin.pk,
        }
    Membership.objects.filter(user=team.supervisor, organisation=world.acme).update(is_active=False)
    with workspace_context(world.acme):
        admin = actor_of(world.acme, world.acme_admin)
        [link] = supervision_links(actor=admin)
        assert link.supervisor_active is False
        assert team.worker.pk in _unsupervised(admin)  # their only supervisor left
        found = team_members(actor=admin, filters=TeamFilters(search="kip"))
        assert [m.user.pk for m in found] == [team.worker.pk]
        viewers = team_members(actor=admin, filters=TeamFilters(role=Role.VIEWER))
        assert [m.user.pk for m in viewers] == [team.viewer.pk]


# --- screen -----------------------------------------------------------------------------------
def test_the_team_screen_lists_adds_and_removes(world, team):
    admin = client_on(world.acme, world.acme_admin)
    page = admin.get("/cases/team/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kip Worker" in html and "Sara Supervisor" in html
    # a case worker is not offered as a supervisor
    form = page.context["form"]
    supervisor_ids = {value for value, _label in form.fields["supervisor"].choices if value}
    assert team.worker.pk not in supervisor_ids and team.supervisor.pk in supervisor_ids
    bad = admin.post(
        "/cases/team/", {"supervisor": team.supervisor.pk, "officer": team.supervisor.pk}
    )
    assert bad.status_code == 400 and "cannot supervise themselves" in bad.content.decode()
    assert bad.context["form"]["officer"].value() == str(team.supervisor.pk)  # kept as typed
    done = admin.post(
        "/cases/team/", {"supervisor": team.supervisor.pk, "officer": team.other_worker.pk}
    )
    assert done.status_code == 302
    assert (team.supervisor.pk, team.other_worker.pk) in _links(world.acme)
    with workspace_context(world.acme):
        link = Supervision.objects.get(officer=team.other_worker)
    page = admin.get("/cases/team/", {"q": "otto"})
    assert [m.user.pk for m in page.context["members"]] == [team.other_worker.pk]
    assert "Otto Other" in page.content.decode()
    assert admin.post(f"/cases/team/supervisions/{link.pk}/remove/").status_code == 302
    assert (team.supervisor.pk, team.other_worker.pk) not in _links(world.acme)
    history = admin.get("/cases/team/").context["history"]
    assert [c.kind for c in history] == ["removed", "added"]


def test_the_team_screen_is_for_administrators(world, team):
    for user in (team.supervisor, team.worker):
        client = client_on(world.acme, user)
        assert client.get("/cases/team/").status_code == 403
    with workspace_context(world.acme):
        link = Supervision.objects.get()
    assert (
        client_on(world.acme, team.supervisor)
        .post(f"/cases/team/supervisions/{link.pk}/remove/")
        .status_code
        == 403
    )
    assert _links(world.acme) == {(team.supervisor.pk, team.worker.pk)}


def test_the_team_screen_is_in_kiswahili(world, team):
    admin = client_on(world.acme, world.acme_admin)
    admin.cookies["django_language"] = "sw"
    html = admin.get("/cases/team/", HTTP_ACCEPT_LANGUAGE="sw").content.decode()
    assert "Timu" in html


# --- API --------------------------------------------------------------------------------------
def test_the_api_lists_adds_and_removes_links(world, team):
    admin = client_on(world.acme, world.acme_admin)
    [row] = admin.get(API).json()
    assert row["supervisor"]["id"] == team.supervisor.pk and row["officer"]["id"] == team.worker.pk
    assert row["supervisor_active"] is True
    made = admin.post(
        API,
        {"supervisor_id": team.supervisor.pk, "officer_id": team.other_worker.pk},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert made.json()["added_by"] == world.acme_admin.email
    gone = admin.delete(f"{API}/{made.json()['id']}")
    assert gone.status_code == 200
    assert (team.supervisor.pk, team.other_worker.pk) not in _links(world.acme)
    assert admin.delete(f"{API}/{made.json()['id']}").status_code == 404


def test_the_api_names_the_field_it_refuses(world, team):
    admin = client_on(world.acme, world.acme_admin)
    cases = [
        ({"supervisor_id": team.worker.pk, "officer_id": team.other_worker.pk}, "supervisor"),
        ({"supervisor_id": team.supervisor.pk, "officer_id": team.supervisor.pk}, "officer"),
        ({"supervisor_id": team.supervisor.pk, "officer_id": team.worker.pk}, "officer"),
        ({"supervisor_id": team.supervisor.pk}, "officer_id"),
        ({"supervisor_id": 0, "officer_id": team.worker.pk}, "supervisor_id"),
    ]
    for body, field in cases:
        answer = admin.post(API, body, content_type="application/json")
        assert answer.status_code == 422, body
        assert field in answer.json()["errors"], (body, answer.json())
    assert _links(world.acme) == {(team.supervisor.pk, team.worker.pk)}
    worker = client_on(world.acme, team.worker)
    assert worker.get(API).status_code == 403
    refused = worker.post(
        API,
        {"supervisor_id": team.supervisor.pk, "officer_id": team.other_worker.pk},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_another_organisations_admin_sees_and_changes_nothing(world, team, beta_admin):
    with workspace_context(world.acme):
        link = Supervision.objects.get()
    beta = client_on(world.beta, beta_admin)
    assert beta.get(API).json() == []
    assert beta.delete(f"{API}/{link.pk}").status_code == 404
    assert beta.post(f"/cases/team/supervisions/{link.pk}/remove/").status_code == 404
    # acme's members are no members of beta: they cannot be linked there
    answer = beta.post(
        API,
        {"supervisor_id": team.supervisor.pk, "officer_id": team.worker.pk},
        content_type="application/json",
    )
    assert answer.status_code == 422 and set(answer.json()["errors"]) == {"supervisor", "officer"}
    page = beta.get("/cases/team/").content.decode()
    assert "Sara Supervisor" not in page and "Kip Worker" not in page
    # and on acme's host, beta's admin is not let in
    assert client_on(world.acme, beta_admin).get(API).status_code in (403, 404)
    assert _links(world.acme) == {(team.supervisor.pk, team.worker.pk)}
    assert _links(world.beta) == set()
