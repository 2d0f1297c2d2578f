"""Screens: requesting, deciding, approving, the console lists and the shared child page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import PlatformAccessEntry
from sharing.models import AgreementStatus as S
from sharing.models import DataSharingAgreement
from tests.conftest import client_on
from tests.sharing.conftest import (
    SECRET_NARRATIVE,
    SHARED_VILLAGE,
    active_agreement,
    request_agreement,
)

pytestmark = pytest.mark.django_db


def _form(scene, **overrides):
    today = timezone.localdate()
    data = {
        "provider": "",
        "fields": ["case_summary:occurrence_village"],
        "persons_mode": "named",
        "persons": scene.child.cpims_id,
        "purpose": "Continuity of care",
        "legal_basis": "Consent of the caregiver",
        "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data


def test_an_admin_requests_from_the_registry_link_and_errors_keep_the_input(world, scene):
    client = client_on(world.acme, world.acme_admin)
    page = client.get(f"/sharing/requests/new/?person={scene.child.cpims_id}")
    assert page.status_code == 200
    assert scene.child.cpims_id.encode() in page.content  # the person is filled in
    assert b"Beta OVC Partner" in page.content  # beta knows the child: offered as provider
    bad = client.post(
        "/sharing/requests/new/",
        _form(scene, provider=world.beta.pk, purpose="Typed purpose stays", legal_basis=""),
    )
    assert bad.status_code == 200
    assert b"Typed purpose stays" in bad.content and b"legal basis" in bad.content.lower()
    assert not DataSharingAgreement.objects.exists()
    done = client.post("/sharing/requests/new/", _form(scene, provider=world.beta.pk))
    agreement = DataSharingAgreement.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/sharing/{agreement.pk}/"
    assert agreement.status == S.SUBMITTED and agreement.person_ids == [scene.child.pk]
    assert agreement.scope == {"case_summary": ["occurrence_village"]}


def test_the_provider_sees_the_request_and_accepts_or_declines(world, scene):
    agreement = request_agreement(world, scene)
    beta = client_on(world.beta, scene.beta_admin)
    listing = beta.get("/sharing/?direction=incoming&q=continuity")
    assert f"#{agreement.pk}".encode() in listing.content
    assert b"1 request waits for your decision" in listing.content
    refused = beta.post(f"/sharing/{agreement.pk}/decline/", {"reason": ""})
    assert refused.status_code == 400 and b"Give a reason" in refused.content
    assert beta.post(f"/sharing/{agreement.pk}/accept/", {"reason": "fine"}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == S.ACCEPTED
    # the requester may not accept its own request
    acme = client_on(world.acme, world.acme_admin)
    assert acme.post(f"/sharing/{agreement.pk}/accept/").status_code == 403


def test_dcs_queue_shows_scope_plainly_and_approves(world, scene):
    agreement = request_agreement(world, scene)
    client_on(world.beta, scene.beta_admin).post(f"/sharing/{agreement.pk}/accept/")
    dcs = client_on(None, scene.approver)
    queue = dcs.get("/console/sharing/")
    assert b"Village / estate" in queue.content and b"Case reference" in queue.content
    link = f"/console/sharing/agreements/{agreement.pk}/".encode()
    assert link in queue.content
    assert link not in dcs.get("/console/sharing/?q=nomatchatall").content
    detail = dcs.get(f"/console/sharing/agreements/{agreement.pk}/")
    assert b"Accepted by the provider" in detail.content
    rejected = dcs.post(f"/console/sharing/agreements/{agreement.pk}/", {"action": "reject"})
    assert rejected.status_code == 400  # a rejection needs a reason
    dcs.post(f"/console/sharing/agreements/{agreement.pk}/", {"action": "approve"})
    agreement.refresh_from_db()
    assert agreement.status == S.ACTIVE
    listing = dcs.get(f"/console/sharing/agreements/?organisation={world.acme.pk}&county=047")
    assert f"#{agreement.pk}".encode() in listing.content
    expiring = dcs.get("/console/sharing/agreements/?expires_before=2000-01-01")
    assert f"#{agreement.pk}".encode() not in expiring.content


def test_the_shared_child_page_shows_scoped_fields_only_and_is_logged(world, scene):
    agreement = active_agreement(world, scene, scope={"case_summary": ["occurrence_village"]})
    page = client_on(world.acme, world.acme_worker).get(f"/sharing/children/{scene.child.pk}/")
    assert page.status_code == 200
    assert SHARED_VILLAGE.encode() in page.content
    assert SECRET_NARRATIVE.encode() not in page.content
    assert scene.case.national_reference.encode() not in page.content
    entry = PlatformAccessEntry.objects.get(agreement_id=agreement.pk)
    assert entry.organisation_slug == "acme" and entry.path.startswith("/sharing/children/")
    log = client_on(None, scene.approver).get(f"/console/sharing/access/?agreement={agreement.pk}")
    assert scene.child.cpims_id.encode() in log.content


def test_the_shared_child_page_is_empty_after_revocation(world, scene):
    agreement = active_agreement(world, scene)
    client = client_on(world.acme, world.acme_worker)
    assert SHARED_VILLAGE.encode() in client.get(f"/sharing/children/{scene.child.pk}/").content
    client_on(None, scene.approver).post(
        f"/console/sharing/agreements/{agreement.pk}/", {"action": "revoke", "reason": "Stop"}
    )
    page = client.get(f"/sharing/children/{scene.child.pk}/")
    assert page.status_code == 404 and SHARED_VILLAGE.encode() not in page.content


def test_isolation_of_the_sharing_pages(world, scene):
    agreement = active_agreement(world, scene)
    # members of neither side, other roles, outsiders: nothing
    for client in (
        client_on(world.acme, world.acme_worker),  # not an admin
        client_on(world.beta, world.acme_admin),  # acme's admin on beta's host
        client_on(world.acme, world.outsider),
        client_on(world.acme),
    ):
        for url in ("/sharing/", f"/sharing/{agreement.pk}/", "/sharing/requests/new/"):
            response = client.get(url)
            assert response.status_code in {302, 403, 404}, url
            assert b"Continuity of care" not in response.content
    # beta's member reads nothing of beta through acme's gateway page, on either host
    for client in (
        client_on(world.beta, world.beta_worker),
        client_on(world.acme, world.beta_worker),
    ):
        response = client.get(f"/sharing/children/{scene.child.pk}/")
        assert SHARED_VILLAGE.encode() not in response.content
    # the console: DCS users without the sharing approver role and organisation admins get 403
    for user in (world.hq_admin, world.acme_admin):
        client = client_on(None, user)
        for url in (
            "/console/sharing/",
            "/console/sharing/agreements/",
            f"/console/sharing/agreements/{agreement.pk}/",
            "/console/sharing/access/",
        ):
            assert client.get(url).status_code == 403, (user, url)
        post = client.post(
            f"/console/sharing/agreements/{agreement.pk}/", {"action": "revoke", "reason": "x"}
        )
        assert post.status_code == 403
    agreement.refresh_from_db()
    assert agreement.status == S.ACTIVE


def test_the_requesters_agreement_page_links_to_the_shared_records(world, scene):
    agreement = active_agreement(world, scene)
    page = client_on(world.acme, world.acme_admin).get(f"/sharing/{agreement.pk}/")
    assert f"/sharing/children/{scene.child.pk}/".encode() in page.content
    provider_page = client_on(world.beta, scene.beta_admin).get(f"/sharing/{agreement.pk}/")
    assert f"/sharing/children/{scene.child.pk}/".encode() not in provider_page.content
