"""The screens of life in the institution (issue 19): the small form pages keep what was
typed when refused, save and go back; the life sections of the admission page show the
records, the overdue leave and review and the "Add" links; members who do not see the case
(or another organisation's) get nothing."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import timezone

from case_apps.institutions import services_life
from case_apps.institutions.models import Admission, ResidentialStatus
from case_apps.institutions.models_life import AdverseEvent, LeaveOfAbsence
from tenants.models import Membership, Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.case_apps.conftest import actor_of
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.institutions.conftest import make_admission

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def days_ago(n: int) -> str:
    return (TODAY() - timedelta(days=n)).isoformat()


@pytest.fixture
def admission(world):
    return make_admission(world.acme, world.acme_worker, admitted_on=TODAY() - timedelta(days=5))


def test_a_refused_leave_keeps_what_was_typed_and_a_good_one_is_saved(world, admission):
    client = client_on(world.acme, world.acme_worker)
    url = f"/institution/admissions/{admission.pk}/leave/new/"
    assert client.get(url).status_code == 200
    typed = {
        "left_on": (TODAY() + timedelta(days=1)).isoformat(),  # in the future
        "due_back_on": (TODAY() + timedelta(days=2)).isoformat(),
        "destination": "Grandmother in Nyalenda",
        "reason": "Family visit",
    }
    page = client.post(url, typed)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Grandmother in Nyalenda" in html and "cannot be in the future" in html
    with workspace_context(world.acme):
        assert not LeaveOfAbsence.objects.exists()
    typed["left_on"], typed["due_back_on"] = days_ago(2), days_ago(1)
    saved = client.post(url, typed)
    assert saved.status_code == 302
    with workspace_context(world.acme):
        leave = LeaveOfAbsence.objects.get()
    back = client.post(
        f"/institution/admissions/{admission.pk}/leave/{leave.pk}/return/",
        {"returned_on": days_ago(1)},
    )
    assert back.status_code == 302
    with workspace_context(world.acme):
        leave.refresh_from_db()
    assert leave.returned_on == TODAY() - timedelta(days=1)


def test_an_escape_from_the_screen_ends_residence_and_the_return_readmits(world, admission):
    client = client_on(world.acme, world.acme_worker)
    escaped = client.post(
        f"/institution/admissions/{admission.pk}/adverse-events/new/",
        {"event_code": "AEES", "occurred_on": days_ago(3), "notes": "Left at night"},
    )
    assert escaped.status_code == 302
    with workspace_context(world.acme):
        admission.refresh_from_db()
        assert AdverseEvent.objects.get().event_code == "AEES"
    assert admission.residential_status == ResidentialStatus.ESCAPED
    # a record on the ended residence is refused, what was typed kept
    refused = client.post(
        f"/institution/admissions/{admission.pk}/education/new/",
        {"school_name": "Kisumu Union Primary", "level": "SLPR", "started_on": days_ago(1)},
    )
    assert refused.status_code == 200 and b"Kisumu Union Primary" in refused.content
    returned = client.post(
        f"/institution/admissions/{admission.pk}/return/", {"returned_on": days_ago(1)}
    )
    assert returned.status_code == 302
    with workspace_context(world.acme):
        again = Admission.objects.get(previous_admission=admission)
    assert (again.admission_type, again.is_resident) == ("TARE", True)


def test_every_form_page_saves(world, admission):
    client = client_on(world.acme, world.acme_worker)
    base = f"/institution/admissions/{admission.pk}"
    forms = {
        "education/new/": {
            "school_name": "Tumaini Vocational Centre",
            "level": "SLTV",
            "class_name": "Tailoring",
            "started_on": days_ago(4),
        },
        "conferences/new/": {
            "held_on": days_ago(3),
            "attendees": "Manager, social worker",
            "decisions": "Start family tracing",
        },
        "care-plans/new/": {
            "drawn_up_on": days_ago(3),
            "family_goals": "Trace the family",
            "review_due_on": days_ago(1),
        },
        "adverse-events/new/": {"event_code": "AEMC", "occurred_on": days_ago(2)},
    }
    for path, data in forms.items():
        assert client.get(f"{base}/{path}").status_code == 200, path
        assert client.post(f"{base}/{path}", data).status_code == 302, path
    with workspace_context(world.acme):
        plan = admission.care_plans.get()
    review = client.post(
        f"{base}/care-plans/{plan.pk}/reviews/new/",
        {
            "reviewed_on": days_ago(0),
            "progress": "Family traced",
            "next_review_on": (TODAY() + timedelta(days=30)).isoformat(),
        },
    )
    assert review.status_code == 302
    with workspace_context(world.acme):
        counts = (
            admission.education_records.count(),
            admission.conferences.count(),
            admission.care_plans.get().reviews.count(),
        )
    assert counts == (1, 1, 1)


def _render(admission, user=None, organisation=None) -> str:
    context = {"admission": admission}
    if user is not None:
        membership = Membership.objects.filter(user=user, organisation=organisation).first()
        context["request"] = SimpleNamespace(
            user=user, membership=membership, organisation=organisation
        )
    template = Template('{% include "institutions/_admission_life.html" %}')
    return template.render(Context(context))


def test_the_life_sections_show_the_records_what_is_overdue_and_the_add_links(world, admission):
    actor = actor_of(world.acme, world.acme_worker)
    with workspace_context(world.acme):
        services_life.leave_record(
            actor=actor,
            admission=admission,
            left_on=TODAY() - timedelta(days=4),
            due_back_on=TODAY() - timedelta(days=2),
            destination="Uncle in Kondele",
            reason="Burial",
        )
        services_life.care_plan_record(
            actor=actor,
            admission=admission,
            drawn_up_on=TODAY() - timedelta(days=4),
            review_due_on=TODAY() - timedelta(days=1),
            education_goals="Back to school",
        )
        shown = _render(admission, world.acme_worker, world.acme)
        read_only = _render(admission)
    assert "Uncle in Kondele" in shown and "Back to school" in shown
    assert 'data-testid="leave-overdue"' in shown and 'data-testid="review-overdue"' in shown
    assert f"/institution/admissions/{admission.pk}/leave/new/" in shown
    assert f"/institution/admissions/{admission.pk}/care-plans/" in shown
    assert "Uncle in Kondele" in read_only and "/leave/new/" not in read_only


def test_the_escaped_admission_offers_the_return(world, admission):
    actor = actor_of(world.acme, world.acme_worker)
    with workspace_context(world.acme):
        services_life.adverse_event_record(
            actor=actor,
            admission=admission,
            event_code="AEES",
            occurred_on=TODAY() - timedelta(days=1),
        )
        admission.refresh_from_db()
        shown = _render(admission, world.acme_worker, world.acme)
    assert f"/institution/admissions/{admission.pk}/return/" in shown
    assert "/leave/new/" not in shown  # no new records on an ended residence


def test_a_child_released_on_licence_is_recalled_from_the_screen_as_tatr(world, admission):
    from case_apps.institutions.services_admissions import resident_discharge

    with workspace_context(world.acme):
        resident_discharge(
            actor=actor_of(world.acme, world.acme_worker),
            admission=admission,
            discharged_on=TODAY() - timedelta(days=3),
            discharge_type="DTLI",
        )
        admission.refresh_from_db()
        shown = _render(admission, world.acme_worker, world.acme)
    assert "may be recalled" in shown
    assert f"/institution/admissions/{admission.pk}/return/" in shown
    client = client_on(world.acme, world.acme_worker)
    returned = client.post(
        f"/institution/admissions/{admission.pk}/return/", {"returned_on": days_ago(1)}
    )
    assert returned.status_code == 302
    with workspace_context(world.acme):
        again = Admission.objects.get(previous_admission=admission)
    assert (again.admission_type, again.is_resident) == ("TATR", True)


def test_members_who_do_not_see_the_case_get_nothing(world, institutions_world, admission):
    other = UserFactory(email="other-screens@acme.test")
    viewer = UserFactory(email="viewer-screens@acme.test")
    membership_grant(user=other, organisation=world.acme, roles=[Role.CASE_WORKER])
    membership_grant(user=viewer, organisation=world.acme, roles=[Role.VIEWER])
    url = f"/institution/admissions/{admission.pk}/leave/new/"
    data = {
        "left_on": days_ago(1),
        "due_back_on": days_ago(0),
        "destination": "Aunt",
        "reason": "Visit",
    }
    assert client_on(world.acme, other).get(url).status_code == 404
    assert client_on(world.acme, other).post(url, data).status_code == 404
    assert client_on(world.acme, viewer).post(url, data).status_code == 403
    rescue = client_on(institutions_world.rescue, institutions_world.rescue_worker)
    assert rescue.post(url, data).status_code == 404  # acme's admission id, the rescue's host
    assert client_on(world.acme, world.beta_worker).get(url).status_code in (403, 404)
    with workspace_context(world.acme):
        assert not LeaveOfAbsence.objects.exists()
