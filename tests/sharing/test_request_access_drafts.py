"""Request access from a registry search result is open to case workers (issue 17): their
click drafts a request with the smallest scope; their administrator sees the draft waiting,
submits or discards it; the drafter follows its status. Another organisation sees nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from sharing.models import AgreementStatus as S
from sharing.models import DataSharingAgreement
from sharing.services import agreement_submit
from sharing.services_access_drafts import (
    NotAllowed,
    access_draft_discard,
    access_request_draft,
    smallest_scope,
)
from tenants.models import Role
from tenants.services import membership_grant
from tests.case_apps.conftest import actor_of
from tests.conftest import client_on
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/sharing/access-requests"


def _draft(world, scene, **overrides):
    fields = {
        "actor": actor_of(world.acme, world.acme_worker),
        "provider": world.beta,
        "person_id": scene.child.pk,
        "purpose": "The child came to our home; we need the open case's status",
        "legal_basis": "Consent of the caregiver",
    }
    fields.update(overrides)
    return access_request_draft(**fields)


# --- service ---------------------------------------------------------------------------------
def test_a_case_worker_drafts_with_the_smallest_scope_and_the_admin_is_told(
    world, scene, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        draft = _draft(world, scene)
    assert draft.status == S.DRAFT and draft.created_by == world.acme_worker
    assert draft.scope == smallest_scope() == {"case_summary": ["status", "category_codes"]}
    assert draft.person_ids == [scene.child.pk] and draft.persons_mode == "named"
    assert [m.to for m in mail.outbox] == [[world.acme_admin.email]]  # not beta's admin
    assert "narrative" not in str(draft.scope) and "reporter_name" not in str(draft.scope)


def test_a_bad_draft_names_its_fields_and_saves_nothing(world, scene):
    with pytest.raises(ValidationError) as refused:
        _draft(world, scene, provider=None, purpose=" ", legal_basis="", person_id=None)
    assert {"provider", "purpose", "legal_basis", "person_ids"} <= set(refused.value.message_dict)
    with pytest.raises(ValidationError) as refused:
        _draft(world, scene, scope={"case_summary": ["no_such_field"]})
    assert "scope" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _draft(world, scene, provider=world.acme)  # not from itself
    assert "provider" in refused.value.message_dict
    assert not DataSharingAgreement.objects.exists()


def test_viewers_do_not_draft_and_only_the_admin_submits_or_discards(world, scene):
    viewer = UserFactory(email="viewer@acme.test")
    membership_grant(user=viewer, organisation=world.acme, roles=[Role.VIEWER])
    with pytest.raises(NotAllowed):
        _draft(world, scene, actor=actor_of(world.acme, viewer))
    draft = _draft(world, scene)
    worker = actor_of(world.acme, world.acme_worker)
    with pytest.raises(NotAllowed):
        agreement_submit(agreement=draft, actor=worker)
    with pytest.raises(NotAllowed):
        access_draft_discard(agreement=draft, actor=worker, reason="no")
    with pytest.raises(NotAllowed):  # the provider's admin cannot discard acme's draft
        access_draft_discard(
            agreement=draft, actor=actor_of(world.beta, scene.beta_admin), reason="x"
        )
    admin = actor_of(world.acme, world.acme_admin)
    with pytest.raises(ValidationError):  # a reason for the drafter
        access_draft_discard(agreement=draft, actor=admin, reason=" ")
    discarded = access_draft_discard(agreement=draft, actor=admin, reason="Ask the court instead")
    assert discarded.status == S.REVOKED
    with pytest.raises(ValidationError):
        access_draft_discard(agreement=draft, actor=admin, reason="again")


# --- screens ---------------------------------------------------------------------------------
def test_the_registry_click_drafts_and_the_admin_submits(world, scene):
    worker = client_on(world.acme, world.acme_worker)
    results = worker.get("/registry/", {"q": "Neema Chepkoech"}).content.decode()
    link = f"/sharing/access-requests/new/?person={scene.child.cpims_id}"
    assert link in results
    page = worker.get(link)
    assert page.status_code == 200  # not a 403
    form = page.context["form"]
    assert form.initial["fields"] == ["case_summary:status", "case_summary:category_codes"]
    data = {
        "person": scene.child.cpims_id,
        "provider": world.beta.pk,
        "fields": ["case_summary:status"],
        "purpose": "Typed purpose stays",
        "legal_basis": "",
    }
    bad = worker.post(link, data)
    assert bad.status_code == 400 and "Typed purpose stays" in bad.content.decode()
    assert not DataSharingAgreement.objects.exists()
    done = worker.post(link, {**data, "legal_basis": "Consent of the caregiver"})
    assert done.status_code == 302 and done["Location"] == "/sharing/access-requests/"
    draft = DataSharingAgreement.objects.get()
    assert draft.status == S.DRAFT and draft.scope == {"case_summary": ["status"]}
    mine = worker.get("/sharing/access-requests/").content.decode()
    assert "Draft: waiting for your administrator" in mine and "Beta OVC Partner" in mine

    admin = client_on(world.acme, world.acme_admin)
    home = admin.get("/").content.decode()
    assert "1 access request drafted by your members waits for you to submit it" in home
    detail = admin.get(f"/sharing/{draft.pk}/").content.decode()
    assert "Wafula Worker" in detail and 'data-testid="discard"' in detail
    assert admin.post(f"/sharing/{draft.pk}/submit/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED
    assert "Waiting for the provider" in worker.get("/sharing/access-requests/").content.decode()
    assert "access request drafted" not in admin.get("/").content.decode()


def test_the_admin_discards_a_draft_and_the_drafter_reads_why(world, scene):
    draft = _draft(world, scene)
    admin = client_on(world.acme, world.acme_admin)
    assert (
        admin.post(f"/sharing/{draft.pk}/discard/", {"reason": "Use the court order"}).status_code
        == 302
    )
    draft.refresh_from_db()
    assert draft.status == S.REVOKED
    mine = (
        client_on(world.acme, world.acme_worker).get("/sharing/access-requests/").content.decode()
    )
    assert "Use the court order" in mine
    # beta never saw the draft
    beta = client_on(world.beta, scene.beta_admin)
    assert beta.get(f"/sharing/{draft.pk}/").status_code == 404


def test_an_admin_click_opens_the_full_request_and_a_viewer_is_refused(world, scene):
    admin = client_on(world.acme, world.acme_admin)
    answer = admin.get(f"/sharing/access-requests/new/?person={scene.child.cpims_id}")
    assert answer.status_code == 302
    assert answer["Location"] == f"/sharing/requests/new/?person={scene.child.cpims_id}"
    viewer = UserFactory(email="viewer2@acme.test")
    membership_grant(user=viewer, organisation=world.acme, roles=[Role.VIEWER])
    client = client_on(world.acme, viewer)
    assert client.get("/sharing/access-requests/new/").status_code == 403
    assert (
        "request-access" not in client.get("/registry/", {"q": "Neema Chepkoech"}).content.decode()
    )


# --- API ---------------------------------------------------------------------------------------
def test_the_api_drafts_lists_submits_and_names_bad_fields(world, scene):
    worker = client_on(world.acme, world.acme_worker)
    body = {
        "provider": "beta",
        "person_cpims_id": scene.child.cpims_id,
        "purpose": "Status of the open case",
        "legal_basis": "Consent of the caregiver",
    }
    bad = worker.post(API, {**body, "purpose": ""}, content_type="application/json")
    assert bad.status_code == 422 and "purpose" in bad.json()["errors"]
    unknown = worker.post(API, {**body, "provider": "nowhere"}, content_type="application/json")
    assert unknown.status_code == 422 and "provider" in unknown.json()["errors"]
    assert not DataSharingAgreement.objects.exists()
    made = worker.post(API, body, content_type="application/json")
    assert made.status_code == 201
    assert made.json()["status"] == "draft" and made.json()["scope"] == smallest_scope()
    assert [r["id"] for r in worker.get(API).json()] == [made.json()["id"]]
    assert worker.get(f"{API}/drafts").status_code == 403
    assert worker.post(f"{API}/{made.json()['id']}/submit").status_code == 403
    admin = client_on(world.acme, world.acme_admin)
    assert [r["id"] for r in admin.get(f"{API}/drafts").json()] == [made.json()["id"]]
    submitted = admin.post(f"{API}/{made.json()['id']}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    again = admin.post(
        f"{API}/{made.json()['id']}/discard", {"reason": "x"}, content_type="application/json"
    )
    assert again.status_code == 422  # no longer a draft
    assert worker.get(API).json()[0]["status"] == "submitted"


def test_another_organisation_cannot_read_or_change_a_draft(world, scene):
    draft = _draft(world, scene)
    beta = client_on(world.beta, scene.beta_admin)
    assert beta.get(f"{API}/drafts").json() == []
    assert beta.post(f"{API}/{draft.pk}/submit").status_code == 404
    assert (
        beta.post(
            f"{API}/{draft.pk}/discard", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert beta.post(f"/sharing/{draft.pk}/discard/", {"reason": "x"}).status_code == 404
    assert client_on(world.beta, world.beta_worker).get(API).json() == []
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
