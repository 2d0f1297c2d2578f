"""Case management fixtures: national lists, registry children, a supervised team in acme."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from case_apps.cases import services
from case_apps.cases.models import Supervision
from shared_registry.services import person_register
from tenants.actor import Actor
from tenants.models import Membership, Role, User
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.factories import UserFactory


def make_child(
    first_name: str = "Akinyi",
    surname: str = "Otieno",
    *,
    sex: str = "SFEM",
    date_of_birth: date | None = date(2014, 3, 9),
):
    return person_register(
        first_name=first_name, surname=surname, sex=sex, date_of_birth=date_of_birth
    )


@dataclass
class Team:
    supervisor: User
    worker: User
    other_worker: User
    viewer: User


@pytest.fixture
def team(world, national_lists, db) -> Team:
    supervisor = UserFactory(email="supervisor@acme.test", full_name="Sara Supervisor")
    worker = UserFactory(email="caseworker@acme.test", full_name="Kip Worker")
    other = UserFactory(email="other@acme.test", full_name="Otto Other")
    viewer = UserFactory(email="viewer@acme.test", full_name="Vera Viewer")
    membership_grant(user=supervisor, organisation=world.acme, roles=[Role.SUPERVISOR])
    membership_grant(user=worker, organisation=world.acme, roles=[Role.CASE_WORKER])
    membership_grant(user=other, organisation=world.acme, roles=[Role.CASE_WORKER])
    membership_grant(user=viewer, organisation=world.acme, roles=[Role.VIEWER])
    with workspace_context(world.acme):
        Supervision.objects.create(supervisor=supervisor, officer=worker)
    return Team(supervisor, worker, other, viewer)


def actor_of(organisation, user: User) -> Actor:
    """The user acting as a member of the organisation, as a request's door would load them."""
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    return Actor(user=user, membership=membership, organisation=organisation)


def open_case(organisation, actor, child=None, **overrides):
    """A valid case record sheet, opened inside the organisation's workspace (``actor`` an
    Actor, or a user acting as a member of the organisation)."""
    if not isinstance(actor, Actor):
        actor = actor_of(organisation, actor)
    fields = {
        "date_reported": timezone.localdate() - timedelta(days=3),
        "how_reported": "walk_in",
        "reporter_type": "CRMO",
        "risk_level": "RLHG",
        "categories": [services.CategoryInput(category_code="CSIC", sub_category_codes=["NDED"])],
    }
    fields.update(overrides)
    with workspace_context(organisation):
        return services.case_open(
            organisation=organisation, actor=actor, child=child or make_child(), **fields
        )


def search_ref(organisation, user: User, person) -> str:
    """The ``ref`` a registry search result gives this member for this person (what opens
    a person their organisation holds no record on yet)."""
    from shared_registry.access import person_ref

    return person_ref(user=user, organisation=organisation, cpims_id=person.cpims_id)


def closure_details(case, *, closed_on: date | None = None, code: str = "RTPA") -> dict:
    """What a closure request needs besides its reason (issue 17): the closure date (today)
    and a final intervention for each of the case's categories (inside its workspace)."""
    from case_apps.cases.services.interventions import FinalIntervention

    return {
        "closed_on": closed_on or timezone.localdate(),
        "final_interventions": [FinalIntervention(c.pk, code) for c in case.categories.all()],
    }


def closure_form_data(case, *, closed_on: date | None = None, code: str = "RTPA") -> dict:
    """The closure form's extra fields (closure date, a final intervention per category)."""
    data = {"closed_on": (closed_on or timezone.localdate()).isoformat()}
    data.update({f"final_{c.pk}": code for c in case.categories.all()})
    return data
