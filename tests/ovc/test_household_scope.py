"""Households under the caseload scope cases use (tenants.policy.case_scope): case workers
and data clerks see what they registered or were assigned, supervisors their team's too,
admins and viewers all; a household outside the scope is not found, on every screen and
in every service, and reassigning it moves it between caseloads."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from case_apps.cases.models import Supervision
from case_apps.ovc import selectors, services
from case_apps.ovc.models import Household
from tenants.actor import NotFound
from tenants.models import Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.ovc.conftest import MARKER, TODAY, as_member, make_caregiver, ovc_urls

pytestmark = pytest.mark.django_db


def _member(world, email: str, role: Role):
    user = UserFactory(email=email, full_name=email.split("@")[0].title())
    membership_grant(user=user, organisation=world.beta, roles=[role])
    return user


@pytest.fixture
def beta_staff(world):
    """Another case worker, a data clerk, beta_worker's supervisor, a supervisor of nobody,
    an organisation admin and a viewer of beta."""
    staff = {
        "other_worker": _member(world, "other@beta.test", Role.CASE_WORKER),
        "clerk": _member(world, "clerk@beta.test", Role.DATA_CLERK),
        "team_supervisor": _member(world, "teamlead@beta.test", Role.SUPERVISOR),
        "lone_supervisor": _member(world, "lonelead@beta.test", Role.SUPERVISOR),
        "admin": _member(world, "admin@beta.test", Role.ORGANISATION_ADMIN),
        "viewer": _member(world, "viewer2@beta.test", Role.VIEWER),
    }
    with workspace_context(world.beta):
        Supervision.objects.create(supervisor=staff["team_supervisor"], officer=world.beta_worker)
    return staff


def _visible(world, user) -> set[int]:
    with workspace_context(world.beta):
        return set(
            selectors.household_list(actor=as_member(user, world.beta)).values_list("pk", flat=True)
        )


def test_the_list_follows_the_caseload_scope(world, beta_programme, beta_staff):
    household = beta_programme[0]
    with workspace_context(world.beta):
        clerks = services.household_register(
            actor=as_member(beta_staff["clerk"], world.beta), head=make_caregiver("Clerk", "Own")
        )
    assert household.pk in _visible(world, world.beta_worker)  # registered it
    assert household.pk in _visible(world, beta_staff["team_supervisor"])  # team's
    assert household.pk in _visible(world, beta_staff["admin"])
    assert household.pk in _visible(world, beta_staff["viewer"])
    for who in ("other_worker", "clerk", "lone_supervisor"):
        assert household.pk not in _visible(world, beta_staff[who]), who
    assert clerks.pk in _visible(world, beta_staff["clerk"])
    assert clerks.pk not in _visible(world, world.beta_worker)
    # on the screen too: the list page names only the worker's own households
    page = client_on(world.beta, beta_staff["other_worker"]).get("/ovc/")
    assert page.status_code == 200 and MARKER.encode() not in page.content
    assert MARKER.encode() in client_on(world.beta, world.beta_worker).get("/ovc/").content


@pytest.mark.parametrize("who", ["other_worker", "lone_supervisor"])
def test_every_screen_answers_404_outside_the_scope(world, beta_programme, beta_staff, who):
    """Isolation inside one workspace: each OVC endpoint about the household or its child,
    GET and POST, is not found for a member whose caseload it is not in."""
    client = client_on(world.beta, beta_staff[who])
    household = beta_programme[0]
    scoped = [url for url in ovc_urls(*beta_programme) if f"/{household.pk}" in url]
    scoped += [url for url in ovc_urls(*beta_programme) if "/children/" in url]
    assert len(scoped) >= 14
    for url in scoped:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            # 404, or 403 where the role may not do this at all (a case worker assigning)
            assert response.status_code in (403, 404), (who, method, url, response.status_code)
            assert MARKER.encode() not in response.content, (who, method, url)
    with workspace_context(world.beta):
        assert Household.objects.get(pk=household.pk).village == MARKER  # nothing changed


def test_the_team_supervisor_and_the_admin_open_it(world, beta_programme, beta_staff):
    household, enrolment, *_ = beta_programme
    for who in ("team_supervisor", "admin", "viewer"):
        client = client_on(world.beta, beta_staff[who])
        assert MARKER.encode() in client.get(f"/ovc/households/{household.pk}/").content, who
        assert MARKER.encode() in client.get(f"/ovc/children/{enrolment.pk}/").content, who


def test_services_refuse_a_household_outside_the_scope(world, beta_programme, beta_staff):
    household, enrolment, *_ = beta_programme
    outsider = as_member(beta_staff["other_worker"], world.beta)
    with workspace_context(world.beta):
        with pytest.raises(NotFound):
            services.service_record(
                actor=outsider,
                enrolment=enrolment.pk,
                domain="safe",
                service="CP64SA",
                provider="CHV",
                date=TODAY(),
            )
        with pytest.raises(NotFound):
            services.cpara_record(
                actor=outsider, household=household, assessed_on=TODAY(), answers={}
            )
        with pytest.raises(NotFound):
            selectors.household_open(actor=outsider, household_id=household.pk)
        assert not enrolment.services.filter(service="CP64SA").exists()


def test_assigning_moves_the_household_into_the_officers_caseload(
    world, beta_programme, beta_staff
):
    household = beta_programme[0]
    other = beta_staff["other_worker"]
    assert household.pk not in _visible(world, other)
    # a case worker may not assign
    worker = client_on(world.beta, world.beta_worker)
    assert worker.get(f"/ovc/households/{household.pk}/assign/").status_code == 403
    supervisor = client_on(world.beta, beta_staff["team_supervisor"])
    page = supervisor.get(f"/ovc/households/{household.pk}/assign/")
    assert page.status_code == 200 and b"Other" in page.content
    refused = supervisor.post(f"/ovc/households/{household.pk}/assign/", {"officer": "999999"})
    assert refused.status_code == 200  # not an officer of beta: the form says so
    response = supervisor.post(f"/ovc/households/{household.pk}/assign/", {"officer": other.pk})
    assert response["Location"] == f"/ovc/households/{household.pk}/"
    assert household.pk in _visible(world, other)
    assert household.pk in _visible(world, world.beta_worker)  # still its registrar's
    with workspace_context(world.beta):
        assert Household.objects.get(pk=household.pk).assigned_officer_id == other.pk
    # an officer of another organisation cannot be given the household
    with workspace_context(world.beta), pytest.raises(ValidationError) as excinfo:
        services.household_assign(
            actor=as_member(beta_staff["admin"], world.beta),
            household=household,
            officer_id=world.acme_worker.pk,
        )
    assert "officer" in excinfo.value.message_dict
