"""The office's triage: its queue only (another office gets nothing and a 404), urgent first
then the oldest, the 24-hour flag and the supervisors' mail (once); accept into a case (date,
serial, reporter, registry person), forward, reject; a typed report keeps what was typed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from case_apps.cases.models import CaseRecord
from intake.models import IntakeReport, IntakeStatus
from intake.tasks import tell_supervisors_task
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child
from tests.conftest import client_on
from tests.intake.conftest import report_body, signed_post

pytestmark = pytest.mark.django_db


def make_report(source, **overrides) -> IntakeReport:
    answer = signed_post(source, report_body(**overrides))
    assert answer.status_code == 201, answer.content
    return IntakeReport.objects.get(pk=answer.json()["id"])


def listed(client, **params) -> list[str]:
    page = client.get("/intake/", params)
    assert page.status_code == 200
    return [r.reference for r in page.context["page"].object_list]


def test_the_queue_shows_only_the_offices_reports(intake_world, helpline):
    ours = make_report(helpline)
    theirs = make_report(helpline, place={"county_code": "047", "sub_county_code": "274"})
    seme = client_on(intake_world.office, intake_world.worker)
    westlands = client_on(intake_world.westlands, intake_world.westlands_worker)
    assert listed(seme) == [ours.reference]
    assert listed(westlands) == [theirs.reference]
    assert westlands.get(f"/intake/{ours.reference}/").status_code == 404
    assert seme.get(f"/intake/{theirs.reference}/").status_code == 404
    assert listed(westlands, q=ours.reference) == []


def test_an_organisation_that_is_no_dcs_office_has_no_intake(world, intake_world):
    assert client_on(world.acme, world.acme_worker).get("/intake/").status_code in (403, 404)


def test_urgent_first_then_the_oldest_and_search(intake_world, helpline):
    old = make_report(helpline, urgency="normal", child={"surname": "Wekesa"})
    urgent = make_report(helpline, urgency="urgent", child={"surname": "Kamau"})
    newer = make_report(helpline, urgency="normal", child={"surname": "Mutua"})
    IntakeReport.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(hours=3))
    seme = client_on(intake_world.office, intake_world.worker)
    assert listed(seme) == [urgent.reference, old.reference, newer.reference]
    assert listed(seme, q="wekesa") == [old.reference]


def test_reports_waiting_over_24_hours_are_flagged(intake_world, helpline):
    late = make_report(helpline)
    fresh = make_report(helpline)
    IntakeReport.objects.filter(pk=late.pk).update(received_at=timezone.now() - timedelta(hours=25))
    page = client_on(intake_world.office, intake_world.worker).get("/intake/")
    flags = {r.reference: r.overdue for r in page.context["page"].object_list}
    assert flags == {late.reference: True, fresh.reference: False}
    assert page.content.decode().count('data-testid="overdue"') == 1


def test_supervisors_are_mailed_once_about_a_report_waiting_over_24_hours(
    intake_world, helpline, mailoutbox, django_capture_on_commit_callbacks
):
    late = make_report(helpline)
    make_report(helpline)  # fresh: no mail
    IntakeReport.objects.filter(pk=late.pk).update(received_at=timezone.now() - timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=True):
        assert tell_supervisors_task() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tell_supervisors_task() == 0
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [intake_world.supervisor.email]
    assert late.reference in mailoutbox[0].subject
    assert "Akinyi" not in mailoutbox[0].body  # the mail names the report, not the child


def test_accepting_opens_the_case_with_the_reports_date_serial_reporter_and_person(
    intake_world, helpline
):
    child = make_child(
        "Akinyi", "Odhiambo", date_of_birth=date(timezone.localdate().year - 9, 2, 1)
    )
    report = make_report(
        helpline, reported_on=(timezone.localdate() - timedelta(days=4)).isoformat()
    )
    seme = client_on(intake_world.office, intake_world.worker)
    page = seme.get(f"/intake/{report.reference}/")
    assert page.status_code == 200
    assert child.pk in [c.person.pk for c in page.context["candidates"]]
    assert "Mary Atieno" in page.content.decode()
    with workspace_context(intake_world.office):
        serial_before = max(CaseRecord.objects.values_list("serial_number", flat=True), default=0)
    answer = seme.post(
        f"/intake/{report.reference}/",
        {
            "action": "accept",
            "person": str(child.pk),
            "risk_level": "RLHG",
            "decided_on": timezone.localdate().isoformat(),
        },
    )
    assert answer.status_code == 302, answer.context["accept_form"].errors
    report.refresh_from_db()
    assert report.status == IntakeStatus.ACCEPTED and report.person == child
    assert report.decided_on == timezone.localdate() and report.decided_by == intake_world.worker
    with workspace_context(intake_world.office):
        case = CaseRecord.objects.get(uuid=report.case_uuid)
        assert case.child_id == child.pk
        assert case.date_reported == report.reported_on
        assert case.serial_number == serial_before + 1
        assert case.national_reference == report.case_reference
        assert case.reporter_name == "Mary Atieno" and case.reporter_phone == "+254700000001"
        assert case.how_reported == "helpline" and case.reporter_type == "CRHE"
        assert case.is_emergency and report.reference in case.narrative
        assert case.category_codes == ["CSIC"]
    assert report.reference not in listed(seme)
    # decided once: a second decision changes nothing
    again = seme.post(
        f"/intake/{report.reference}/",
        {"action": "reject", "reason": "late", "decided_on": timezone.localdate().isoformat()},
    )
    assert again.status_code == 200
    report.refresh_from_db()
    assert report.status == IntakeStatus.ACCEPTED and report.decision_reason == ""


def test_accepting_a_child_not_in_the_registry_registers_them(intake_world, helpline):
    report = make_report(helpline, child={"first_name": "Zawadi", "surname": "Chepkoech"})
    seme = client_on(intake_world.office, intake_world.worker)
    answer = seme.post(
        f"/intake/{report.reference}/",
        {
            "action": "accept",
            "person": "new",
            "risk_level": "RLMD",
            "decided_on": timezone.localdate().isoformat(),
        },
    )
    assert answer.status_code == 302
    report.refresh_from_db()
    assert (report.person.first_name, report.person.surname) == ("ZAWADI", "CHEPKOECH")
    assert report.person.sex == "SFEM"


def test_forwarding_moves_the_report_to_the_other_office_with_its_reason(intake_world, helpline):
    report = make_report(helpline)
    seme = client_on(intake_world.office, intake_world.worker)
    refused = seme.post(
        f"/intake/{report.reference}/",
        {
            "action": "forward",
            "office": intake_world.westlands.pk,
            "reason": "",
            "decided_on": timezone.localdate().isoformat(),
        },
    )
    assert refused.status_code == 200 and "reason" in refused.context["forward_form"].errors
    assert IntakeReport.objects.get(pk=report.pk).office == intake_world.office
    answer = seme.post(
        f"/intake/{report.reference}/",
        {
            "action": "forward",
            "office": intake_world.westlands.pk,
            "reason": "The family lives in Westlands now.",
            "decided_on": timezone.localdate().isoformat(),
        },
    )
    assert answer.status_code == 302
    report.refresh_from_db()
    assert report.office == intake_world.westlands and report.status == IntakeStatus.FORWARDED
    assert report.decision_reason == "The family lives in Westlands now."
    westlands = client_on(intake_world.westlands, intake_world.westlands_worker)
    assert listed(westlands) == [report.reference]
    assert seme.get(f"/intake/{report.reference}/").status_code == 404


def test_rejecting_keeps_the_report_with_its_reason(intake_world, helpline):
    report = make_report(helpline)
    seme = client_on(intake_world.office, intake_world.worker)
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    refused = seme.post(
        f"/intake/{report.reference}/",
        {"action": "reject", "reason": "A prank call.", "decided_on": future},
    )
    assert refused.status_code == 200 and "decided_on" in refused.context["reject_form"].errors
    assert "A prank call." in refused.content.decode()  # the form keeps what was typed
    answer = seme.post(
        f"/intake/{report.reference}/",
        {
            "action": "reject",
            "reason": "A prank call.",
            "decided_on": timezone.localdate().isoformat(),
        },
    )
    assert answer.status_code == 302
    report.refresh_from_db()
    assert report.status == IntakeStatus.REJECTED and report.decision_reason == "A prank call."
    assert listed(seme) == []
    assert listed(seme, status="rejected") == [report.reference]


def test_an_officer_types_a_report_and_the_form_keeps_what_was_typed(intake_world, national_lists):
    seme = client_on(intake_world.office, intake_world.worker)
    values = {
        "source_kind": "community",
        "reported_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
        "urgency": "normal",
        "category_code": "CSIC",
        "narrative": "A walk-in neighbour reports the boy sleeps outside.",
        "child_first_name": "Baraka",
        "child_surname": "Omondi",
        "child_sex": "SMAL",
        "child_age": "11",
        "county_code": "042",
        "sub_county_code": "241",
    }
    refused = seme.post("/intake/new/", values)
    assert refused.status_code == 200
    assert "reported_on" in refused.context["form"].errors
    assert "sleeps outside" in refused.content.decode() and "Baraka" in refused.content.decode()
    assert not IntakeReport.objects.exists()
    values["reported_on"] = timezone.localdate().isoformat()
    assert seme.post("/intake/new/", values).status_code == 302
    report = IntakeReport.objects.get()
    assert report.office == intake_world.office and report.typed_by == intake_world.worker
    assert report.client is None and report.source_kind == "community"
