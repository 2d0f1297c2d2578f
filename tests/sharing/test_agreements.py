"""An agreement's life: every transition, who may take it, history and notifications."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from sharing import services
from sharing.models import AgreementStatus as S
from sharing.services import NotAllowed
from sharing.tasks import refresh_agreements_task
from tenants.actor import Actor
from tests.sharing.conftest import active_agreement, request_agreement

pytestmark = pytest.mark.django_db


def test_request_accept_approve_makes_it_active_with_history(
    world, scene, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        agreement = request_agreement(world, scene)
    assert agreement.status == S.SUBMITTED
    assert "admin@beta.test" in mail.outbox[-1].to  # the provider's admins hear of it
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_accept(
            agreement=agreement, actor=Actor(user=scene.beta_admin), reason="ok"
        )
    assert "sharing@dcs.test" in mail.outbox[-1].to + mail.outbox[-2].to
    with django_capture_on_commit_callbacks(execute=True):
        agreement = services.agreement_approve(
            agreement=agreement, actor=Actor(user=scene.approver)
        )
    assert agreement.status == S.ACTIVE
    history = [(e.kind, e.actor_email, e.acting_as) for e in agreement.events.all()]
    assert history == [
        ("created", "admin@acme.test", "requester"),
        ("submitted", "admin@acme.test", "requester"),
        ("accepted", "admin@beta.test", "provider"),
        ("approved", "sharing@dcs.test", "dcs"),
        ("activated", "", "system"),
    ]
    assert any("admin@acme.test" in m.to for m in mail.outbox)


def test_only_the_requesters_admin_requests(world, scene):
    with pytest.raises(NotAllowed):
        request_agreement(world, scene, actor=world.acme_worker)
    with pytest.raises(NotAllowed):
        request_agreement(world, scene, actor=scene.beta_admin)  # admin, but of the provider


def test_bad_request_names_each_field_and_saves_nothing(world, scene):
    with pytest.raises(ValidationError) as error:
        request_agreement(
            world,
            scene,
            provider=world.acme,
            scope={"case_summary": ["nope"]},
            person_ids=[],
            purpose=" ",
            legal_basis="",
            end_date=timezone.localdate() - timedelta(days=400),
        )
    assert set(error.value.message_dict) >= {
        "scope",
        "provider",
        "person_ids",
        "purpose",
        "legal_basis",
        "end_date",
    }
    assert not world.acme.agreements_requested.exists()


def test_only_the_providers_admin_accepts_or_declines(world, scene):
    agreement = request_agreement(world, scene)
    for actor in (world.acme_admin, world.beta_worker, scene.approver):
        with pytest.raises(NotAllowed):
            services.agreement_accept(agreement=agreement, actor=Actor(user=actor))
        with pytest.raises(NotAllowed):
            services.agreement_decline(agreement=agreement, actor=Actor(user=actor), reason="no")
    with pytest.raises(ValidationError):
        services.agreement_decline(
            agreement=agreement, actor=Actor(user=scene.beta_admin), reason=" "
        )
    agreement = services.agreement_decline(
        agreement=agreement, actor=Actor(user=scene.beta_admin), reason="We hold no such records"
    )
    assert agreement.status == S.DECLINED
    assert agreement.events.last().reason == "We hold no such records"
    with pytest.raises(ValidationError):  # a declined request cannot be accepted after all
        services.agreement_accept(agreement=agreement, actor=Actor(user=scene.beta_admin))


def test_only_dcs_approvers_approve_or_reject_and_only_after_acceptance(world, scene):
    agreement = request_agreement(world, scene)
    with pytest.raises(ValidationError):  # not accepted yet
        services.agreement_approve(agreement=agreement, actor=Actor(user=scene.approver))
    services.agreement_accept(agreement=agreement, actor=Actor(user=scene.beta_admin))
    for actor in (world.hq_admin, world.acme_admin, scene.beta_admin):
        with pytest.raises(NotAllowed):
            services.agreement_approve(agreement=agreement, actor=Actor(user=actor))
        with pytest.raises(NotAllowed):
            services.agreement_reject(agreement=agreement, actor=Actor(user=actor), reason="no")
    agreement = services.agreement_reject(
        agreement=agreement, actor=Actor(user=scene.approver), reason="Purpose too broad"
    )
    assert agreement.status == S.REJECTED
    assert agreement.events.last().acting_as == "dcs"


def test_a_future_agreement_is_approved_then_comes_into_force_on_its_start_date(world, scene):
    today = timezone.localdate()
    agreement = active_agreement(
        world, scene, start_date=today + timedelta(days=5), end_date=today + timedelta(days=30)
    )
    assert agreement.status == S.APPROVED
    assert services.agreements_refresh(today=today) == {"activated": 0, "expired": 0}
    assert services.agreements_refresh(today=today + timedelta(days=5))["activated"] == 1
    agreement.refresh_from_db()
    assert agreement.status == S.ACTIVE


def test_expiry_by_the_beat_task(world, scene):
    agreement = active_agreement(world, scene)
    pending = request_agreement(world, scene)
    assert services.agreements_refresh(today=agreement.end_date) == {"activated": 0, "expired": 0}
    counts = services.agreements_refresh(today=agreement.end_date + timedelta(days=1))
    assert counts["expired"] == 2
    agreement.refresh_from_db()
    pending.refresh_from_db()
    assert agreement.status == pending.status == S.EXPIRED
    assert agreement.events.last().kind == "expired"
    assert refresh_agreements_task() == {"activated": 0, "expired": 0}  # the beat entry runs


@pytest.mark.parametrize("side", ["requester", "provider", "dcs"])
def test_either_side_or_dcs_revokes_with_a_reason(world, scene, side):
    agreement = active_agreement(world, scene)
    actor = {"requester": world.acme_admin, "provider": scene.beta_admin, "dcs": scene.approver}[
        side
    ]
    with pytest.raises(ValidationError):
        services.agreement_revoke(agreement=agreement, actor=Actor(user=actor), reason="")
    agreement = services.agreement_revoke(
        agreement=agreement, actor=Actor(user=actor), reason="Case closed"
    )
    assert agreement.status == S.REVOKED
    assert agreement.events.last().acting_as == side


def test_nobody_else_revokes(world, scene):
    agreement = active_agreement(world, scene)
    for actor in (world.acme_worker, world.beta_worker, world.hq_admin, world.outsider):
        with pytest.raises(NotAllowed):
            services.agreement_revoke(agreement=agreement, actor=Actor(user=actor), reason="x")


def test_the_beat_schedule_runs_the_refresh():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "sharing.refresh_agreements" in tasks


def test_a_draft_is_submitted_by_the_requesters_admin_only(world, scene):
    draft = request_agreement(world, scene, submit=False)
    assert draft.status == S.DRAFT
    for actor in (scene.beta_admin, world.acme_worker, scene.approver):
        with pytest.raises(NotAllowed):
            services.agreement_submit(agreement=draft, actor=Actor(user=actor))
    submitted = services.agreement_submit(agreement=draft, actor=Actor(user=world.acme_admin))
    assert submitted.status == S.SUBMITTED
    with pytest.raises(ValidationError):  # only once
        services.agreement_submit(agreement=draft, actor=Actor(user=world.acme_admin))
    # the provider does not see the other side's drafts
    from sharing.selectors import agreements_of_organisation

    other = request_agreement(world, scene, submit=False)
    assert other not in agreements_of_organisation(organisation=world.beta)
    assert other in agreements_of_organisation(organisation=world.acme)
