"""Screens a busy officer reads at a glance (issue 17, point 10): dates as "10 Feb 2026" in
English and Kiswahili, places by name, code labels with the code in a tooltip, and the
approvals queue and referrals-in inbox searchable and filterable."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format

from case_apps.cases import selectors_lists
from case_apps.cases.models import ApprovalKind, ApprovalRequest, CaseRecord, Supervision
from case_apps.cases.presenters import Labels
from case_apps.cases.selectors_lists import ApprovalFilters, ReferralInFilters
from case_apps.cases.services.approvals import closure_request
from sharing import services_referrals
from sharing.models import OrganisationReferral
from tenants.actor import Actor
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, closure_details, make_child, open_case
from tests.conftest import client_on
from tests.sharing.conftest import scene  # noqa: F401 (a fixture)
from tests.sharing.test_consent import give_consent

pytestmark = pytest.mark.django_db

TENTH_OF_FEBRUARY = date(2026, 2, 10)


def table(response, testid: str) -> str:
    """The table a list shows (upper-cased: the registry keeps names in capitals), without
    the rest of the page (which echoes the search in its links)."""
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</table>", start)].upper()


# --- dates ------------------------------------------------------------------------------
def test_every_default_date_format_reads_day_month_year():
    template = Template(
        '{{ d }}|{{ d|date }}|{{ d|date:"SHORT_DATE_FORMAT" }}|{{ t }}|'
        '{{ t|date:"SHORT_DATETIME_FORMAT" }}|{{ d|date:"YEAR_MONTH_FORMAT" }}'
    )
    context = Context({"d": TENTH_OF_FEBRUARY, "t": datetime(2026, 2, 10, 14, 5)})
    with translation.override("en"):
        assert template.render(context).split("|") == [
            "10 Feb 2026",
            "10 Feb 2026",
            "10 Feb 2026",
            "10 Feb 2026 14:05",
            "10 Feb 2026 14:05",
            "Feb 2026",
        ]


def test_kiswahili_keeps_the_form_and_names_the_month_in_kiswahili():
    august = date(2026, 8, 10)
    with translation.override("sw"):
        assert date_format(TENTH_OF_FEBRUARY) == "10 Feb 2026"
        assert date_format(august) == "10 Ago 2026"
        assert date_format(august, "SHORT_DATE_FORMAT") == "10 Ago 2026"
        assert Template("{{ d }}").render(Context({"d": august})) == "10 Ago 2026"
    with translation.override("en"):
        assert date_format(august) == "10 Aug 2026"


# --- code labels ----------------------------------------------------------------------------
LABELS = Labels(
    {
        "case_category": {"CCDF": "Defilement", "CSIC": "Child neglect"},
        "odd": {"X<1": "Fish & <chips>"},
    }
)


def _label(code, list_name="case_category") -> str:
    template = Template("{% load case_labels %}{% label labels list_name code %}")
    return template.render(Context({"labels": LABELS, "list_name": list_name, "code": code}))


def test_a_code_shows_as_its_label_with_the_code_in_a_tooltip():
    assert _label("CCDF") == '<span class="code-label" title="CCDF">Defilement</span>'


def test_labels_and_codes_are_escaped():
    assert _label("X<1", "odd") == (
        '<span class="code-label" title="X&lt;1">Fish &amp; &lt;chips&gt;</span>'
    )
    assert _label("<b>") == '<span class="code-label">&lt;b&gt;</span>'  # unknown: no tooltip


def test_a_list_of_codes_reads_as_labels_joined_each_with_its_tooltip():
    assert _label(["CCDF", "", "CSIC"]) == (
        '<span class="code-label" title="CCDF">Defilement</span>, '
        '<span class="code-label" title="CSIC">Child neglect</span>'
    )
    assert _label("") == "" and _label(None) == "" and _label([]) == ""


def test_label_text_gives_the_plain_label():
    template = Template('{% load case_labels %}{% label_text labels "case_category" c %}')
    assert template.render(Context({"labels": LABELS, "c": ["CCDF", "CSIC"]})) == (
        "Defilement, Child neglect"
    )


def test_the_approval_page_shows_the_closure_reason_as_a_label_with_its_code(world, team):
    case = open_case(world.acme, team.worker, make_child("Imani", "Wekesa"))
    with workspace_context(world.acme):
        approval = closure_request(
            case=case,
            actor=actor_of(world.acme, team.worker),
            closure_reason="COEN",
            notes="Reunited with family",
            **closure_details(case),
        )
    page = client_on(world.acme, team.supervisor).get(f"/cases/approvals/{approval.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'title="COEN"' in html and ">COEN<" not in html


# --- the approvals queue ----------------------------------------------------------------------
@pytest.fixture
def approvals(world, team):
    """Two closure requests waiting for the team's supervisor: Imani's by the worker (asked
    on 10 Feb 2026), Baraka's by the other worker (asked today)."""
    imani = open_case(world.acme, team.worker, make_child("Imani", "Wekesa"))
    baraka = open_case(world.acme, team.other_worker, make_child("Baraka", "Mwangi"))
    with workspace_context(world.acme):
        Supervision.objects.create(supervisor=team.supervisor, officer=team.other_worker)
        first = closure_request(
            case=imani,
            actor=actor_of(world.acme, team.worker),
            closure_reason="COEN",
            notes="Reunited with family",
            **closure_details(imani),
        )
        second = closure_request(
            case=baraka,
            actor=actor_of(world.acme, team.other_worker),
            closure_reason="COEN",
            notes="Reunited with family",
            **closure_details(baraka),
        )
        asked = timezone.make_aware(datetime(2026, 2, 10, 9, 30))
        ApprovalRequest.objects.filter(pk=first.pk).update(requested_at=asked)
    return first, second


def _queue(world, user, **filters) -> set[int]:
    with workspace_context(world.acme):
        rows = selectors_lists.approvals_list(
            actor=actor_of(world.acme, user), filters=ApprovalFilters(**filters)
        )
        return set(rows.values_list("pk", flat=True))


def test_the_approvals_queue_narrows_by_search_kind_officer_and_date(world, team, approvals):
    first, second = approvals
    both = {first.pk, second.pk}
    assert _queue(world, team.supervisor) >= both
    assert _queue(world, team.supervisor, search="Imani") & both == {first.pk}
    assert _queue(world, team.supervisor, search=first.case.national_reference) == {first.pk}
    assert _queue(world, team.supervisor, kind=ApprovalKind.CASE_PLAN) & both == set()
    assert _queue(world, team.supervisor, kind=ApprovalKind.CLOSURE) >= both
    assert _queue(world, team.supervisor, requested_by=team.other_worker.pk) == {second.pk}
    assert _queue(
        world,
        team.supervisor,
        requested_from=date(2026, 2, 1),
        requested_to=date(2026, 2, 28),
    ) == {first.pk}
    assert _queue(world, team.supervisor, requested_from=timezone.localdate()) == {second.pk}


def test_the_approvals_page_filters_and_keeps_the_filters_across_pages(world, team, approvals):
    first, second = approvals
    client = client_on(world.acme, team.supervisor)
    page = client.get("/cases/approvals/")
    html = page.content.decode()
    rows = table(page, "approvals")
    assert "IMANI" in rows and "BARAKA" in rows
    assert "10 FEB 2026" in rows  # when Imani's request was made
    assert 'name="q"' in html and 'name="requested_from"' in html and 'type="date"' in html
    assert 'hx-get="/cases/approvals/"' in html
    narrowed = table(client.get("/cases/approvals/", {"q": "Baraka"}), "approvals")
    assert "BARAKA" in narrowed and "IMANI" not in narrowed
    by_officer = table(
        client.get("/cases/approvals/", {"requested_by": team.worker.pk}), "approvals"
    )
    assert "IMANI" in by_officer and "BARAKA" not in by_officer
    wrong = client.get("/cases/approvals/", {"requested_from": "yesterday"})
    assert wrong.status_code == 200 and "errorlist" in wrong.content.decode()


def test_a_member_of_another_organisation_sees_none_of_acmes_approvals(world, team, approvals):
    first, _second = approvals
    from tenants.models import Role
    from tenants.services import membership_grant
    from tests.factories import UserFactory

    beta_supervisor = UserFactory(email="supervisor@beta.test", full_name="Beta Supervisor")
    membership_grant(user=beta_supervisor, organisation=world.beta, roles=[Role.SUPERVISOR])
    page = client_on(world.beta, beta_supervisor).get("/cases/approvals/")
    assert "IMANI" not in table(page, "approvals")
    assert str(first.case.national_reference) not in page.content.decode()
    # acme's supervisor on beta's host is no member there
    assert client_on(world.beta, team.supervisor).get("/cases/approvals/").status_code in (
        403,
        404,
    )


# --- the referrals-in inbox -------------------------------------------------------------------
@pytest.fixture
def inbox(world, scene):  # noqa: F811
    """beta refers Neema and transfers Otieno to acme; Neema's referral went on 10 Feb."""
    sent = []
    for child, kind, case in (
        (scene.child, "referral", scene.case),
        (scene.other_child, "transfer", None),
    ):
        consent = give_consent(world, scene, person=child, fields=["national_reference"])
        with workspace_context(world.beta):
            if case is None:
                case = CaseRecord.objects.get(child=child)
            sent.append(
                services_referrals.referral_send(
                    sender=world.beta,
                    receiver=world.acme,
                    actor=Actor(user=world.beta_worker),
                    person=child,
                    kind=kind,
                    reason="Needs a safe place" if kind == "referral" else "Moving county",
                    services=[],
                    consent=consent,
                    fields=None,
                    sender_case_id=case.pk,
                    sender_case_reference=case.national_reference,
                )
            )
    OrganisationReferral.objects.filter(pk=sent[0].pk).update(
        created_at=timezone.make_aware(datetime(2026, 2, 10, 11, 0))
    )
    return sent


def _inbox(world, **filters) -> list[int]:
    rows = selectors_lists.referrals_in_list(
        organisation=world.acme, filters=ReferralInFilters(**filters)
    )
    return sorted(rows.values_list("pk", flat=True))


def test_the_inbox_narrows_by_search_kind_sender_status_and_date(world, inbox):
    referral, transfer = inbox
    assert _inbox(world) == sorted([referral.pk, transfer.pk])
    assert _inbox(world, search="Chepkoech") == [referral.pk]
    assert _inbox(world, search="Moving") == [transfer.pk]
    assert _inbox(world, kind="transfer") == [transfer.pk]
    assert _inbox(world, sender=world.beta.pk) == sorted([referral.pk, transfer.pk])
    assert _inbox(world, sender=world.acme.pk) == []
    assert _inbox(world, status="accepted") == []
    assert _inbox(world, sent_from=date(2026, 2, 1), sent_to=date(2026, 2, 28)) == [referral.pk]
    assert _inbox(world, sent_from=timezone.localdate() - timedelta(days=1)) == [transfer.pk]


def test_the_inbox_page_filters_live_and_shows_dates_at_a_glance(world, inbox):
    client = client_on(world.acme, world.acme_admin)
    page = client.get("/cases/referrals-in/")
    rows = table(page, "referrals-in")
    assert "NEEMA" in rows and "OTIENO" in rows and "10 FEB 2026" in rows
    html = page.content.decode()
    assert 'hx-get="/cases/referrals-in/"' in html and 'name="sent_from"' in html
    transfers = table(client.get("/cases/referrals-in/", {"kind": "transfer"}), "referrals-in")
    assert "OTIENO" in transfers and "NEEMA" not in transfers
    none = client.get("/cases/referrals-in/", {"q": "nobody-at-all"}).content.decode()
    assert "No referral or transfer matches this search." in none


def test_the_inbox_shows_beta_nothing_of_what_acme_received(world, inbox):
    assert selectors_lists.referrals_in_list(organisation=world.beta).count() == 0
    assert selectors_lists.referral_senders(organisation=world.beta) == []
    assert [o.pk for o in selectors_lists.referral_senders(organisation=world.acme)] == [
        world.beta.pk
    ]
