"""Issue #8 end to end: two partners register households and deliver services through the
OVC services, the drain runs twice, OVC_SERV and OVC_HIVSTAT equal the hand count, a cell
below 5 is suppressed in the export, and a training organisation's data is absent."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.utils import timezone

from case_apps.outbox.models import OutboxEvent
from case_apps.ovc import date_rules, services
from national_statistics.mer import OVC_HIVSTAT_ROWS, OVC_SERV_ROWS, ovc_hivstat, ovc_serv
from national_statistics.models import ExportJob, Fact
from national_statistics.selectors import StatisticsScope
from national_statistics.suppression import SUPPRESSED, TOTAL
from national_statistics.tasks import drain_all_task
from provisioning.services import organisation_provision
from tenants.models import Organisation, OrganisationKind, PlatformRole, Role
from tenants.schema import workspace_context
from tenants.services import membership_grant, organisation_create
from tests.case_apps.conftest import make_child
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.ovc.conftest import ALL_MET, as_member, make_caregiver

pytestmark = pytest.mark.django_db
BAND = {3: "1-4", 7: "5-9", 12: "10-14", 16: "15-17", 19: "18-20"}  # the ages used here


@dataclass
class Child:
    """What a partner does for one child, and so what the figures must say about it."""

    name: str
    sex: str
    age: int  # on every day of this calendar year (born on 1 January)
    hiv: str = "HSTN"
    art: str = ""
    school: str = "SLPR"
    new: bool = False  # enrolled in the reported quarter (else two quarters before)
    served: tuple[str, ...] = ("q1", "q2")  # the quarter before, the reported quarter
    screening: str = ""  # "no_risk" (no test required) or "tested_positive"
    school_later: str = ""  # school level corrected after the first drain
    exit: str = ""  # exit reason, recorded after the first drain
    household: str = "main"

    def serv_row(self) -> str | None:
        """OVC_SERV as the glossary states it, applied by hand."""
        if self.exit == "ERCP":
            return "graduated"
        if self.exit:
            return "exited"
        out_of_school = (self.school_later or self.school) == "SLNS"
        if self.age >= 18 and out_of_school:
            return None
        if "q2" in self.served and ("q1" in self.served or self.new):
            return "active"
        return None

    def hivstat_row(self) -> str | None:
        if self.serv_row() not in ("active", "graduated") or self.age >= 18:
            return None
        if self.hiv == "HSTP":
            return "hiv_positive_on_art" if self.art == "ARAR" else "hiv_positive_no_art"
        if self.screening == "tested_positive":
            return "hiv_positive_no_art"
        if self.hiv == "HSTN":
            return "hiv_negative"
        return "hiv_not_required" if self.screening == "no_risk" else "hiv_unknown"

    @property
    def column(self) -> str:
        return f"{self.sex}|{BAND[self.age]}"


def programme() -> list[Child]:
    """The same caseload in each partner."""
    return [
        *(Child(f"Girl{n}", "SFEM", 12) for n in range(3)),
        Child("Boy", "SMAL", 7, hiv="HSKN", screening="no_risk"),
        Child("Teen", "SFEM", 16, hiv="HSTP", art="ARAR", school="SLSE"),
        Child("Toddler", "SMAL", 3, hiv="HHEI", art="ARPR", school="SLNS"),  # under 18
        Child(
            "Newcomer",
            "SFEM",
            12,
            hiv="HSKN",
            new=True,
            served=("q2",),
            screening="tested_positive",
        ),
        Child("Once", "SMAL", 12, served=("q2",)),  # not served the quarter before
        Child("Graduate", "SFEM", 16, served=("q1",), exit="ERCP", household="graduating"),
        Child("Mover", "SMAL", 12, exit="ERRL"),
        Child("Youth", "SMAL", 19, school="SLNS"),  # 18+ out of school: left out
        Child("Student", "SFEM", 19, school="SLSE"),  # 18+ in school: active
        Child("Dropout", "SFEM", 16, school="SLSE", school_later="SLNS"),  # under 18: active
    ]


@dataclass
class Partner:
    organisation: Organisation
    actor: object
    children: list[Child]
    enrolments: dict[str, object] = field(default_factory=dict)
    households: dict[str, object] = field(default_factory=dict)


def quarter(today: date) -> tuple[date, date]:
    """The reported quarter, the current one: its first and last month."""
    start = date(today.year, today.month - (today.month - 1) % 3, 1)
    return start, date(start.year, start.month + 2, 1)


def deliver(partner: Partner, q2: date, today: date) -> None:
    """Register households, enrol the children, serve them and screen them."""
    organisation, actor = partner.organisation, partner.actor
    with workspace_context(organisation):
        for child in partner.children:
            if child.household not in partner.households:
                partner.households[child.household] = services.household_register(
                    actor=as_member(actor, organisation), head=make_caregiver(), village="X"
                )
            household = partner.households[child.household]
            registered = q2 if child.new else q2 - timedelta(days=200)
            with date_rules.entered_on(registered):  # the paper form entered on the day
                enrolment = services.child_enrol(
                    actor=as_member(actor, organisation),
                    household=household,
                    child=make_child(
                        child.name,
                        "Otieno",
                        sex=child.sex,
                        date_of_birth=date(today.year - child.age, 1, 1),
                    ),
                    registration_date=registered,
                    eligibility=["ECFD"],
                    hiv_status=child.hiv,
                    art_status=child.art,
                    facility="Kondele HC" if child.art == "ARAR" else "",
                    school_level=child.school,
                )
            partner.enrolments[child.name] = enrolment
            days = {"q1": q2 - timedelta(days=30), "q2": today}
            for quarter_name in child.served:
                with date_rules.entered_on(days[quarter_name]):
                    services.service_record(
                        actor=as_member(actor, organisation),
                        enrolment=enrolment,
                        domain="healthy",
                        service="CP212HE",
                        provider="CHV",
                        date=days[quarter_name],
                    )
            if child.screening:
                risks = [] if child.screening == "no_risk" else ["sexual_abuse"]
                screening = services.hiv_screening_record(
                    actor=as_member(actor, organisation),
                    enrolment=enrolment,
                    screened_on=today,
                    status_known=child.hiv,
                    tested_last_6_months=False,
                    risks=risks,
                    referred_on=today if risks else None,
                )
                if risks:
                    services.hiv_referral_result_record(
                        actor=as_member(actor, organisation),
                        screening=screening,
                        referral_completed_on=today,
                        test_result="HSTP",
                    )


def follow_up(partner: Partner, today: date) -> None:
    """After the first drain: a school level corrected, a graduation, a relocation."""
    organisation, actor = partner.organisation, partner.actor
    with workspace_context(organisation):
        services.cpara_record(
            actor=as_member(actor, organisation),
            household=partner.households["graduating"],
            assessed_on=today,
            answers=ALL_MET,
        )
        for child in partner.children:
            enrolment = partner.enrolments[child.name]
            if child.school_later:
                services.enrolment_update(
                    actor=as_member(actor, organisation),
                    enrolment=enrolment,
                    school_level=child.school_later,
                )
            if child.exit:
                services.enrolment_exit(
                    actor=as_member(actor, organisation),
                    enrolment=enrolment,
                    exit_reason=child.exit,
                    exit_date=today,
                )


def hand_count(children: list[Child], row_of) -> dict[tuple[str, str], int]:
    """Counts by row and column; exits without graduation are reported beside OVC_SERV,
    not added into its total."""
    counts: dict[tuple[str, str], int] = {}
    for child in children:
        row = row_of(child)
        if row:
            keys = [(row, child.column), (row, TOTAL)]
            if row != "exited":
                keys += [(TOTAL, child.column), (TOTAL, TOTAL)]
            for key in keys:
                counts[key] = counts.get(key, 0) + 1
    return counts


def figures(report) -> dict[tuple[str, str], int]:
    """The report's non-zero cells, totals included."""
    rows = [key for key, _ in report.rows + report.beside_rows] + [TOTAL]
    columns = [key for key, _ in report.columns] + [TOTAL]
    cells = [(row, column) for row in rows for column in columns]
    return {cell: report.values[cell] for cell in cells if report.values.get(cell)}


def test_two_partners_to_suppressed_mer_export_without_the_training_workspace(world):
    today = timezone.localdate()
    month_from, month_to = quarter(today)
    q2 = month_from  # services "q2" fall in it, "q1" in the quarter before
    acme = Organisation.objects.get(pk=world.acme.pk)  # a copy: the session's world stays
    acme.kind = OrganisationKind.IMPLEMENTING_PARTNER
    acme.save(update_fields=["kind"])
    training = organisation_provision(
        organisation=organisation_create(
            name="Mafunzo Training",
            slug="mafunzo",
            kind=OrganisationKind.IMPLEMENTING_PARTNER,
            county_code="047",
            training=True,
        )
    )
    partners = [
        Partner(acme, world.acme_worker, programme()),
        Partner(world.beta, world.beta_worker, programme()),
    ]
    trainee = UserFactory()  # services act only for members (the policy decides)
    membership_grant(user=trainee, organisation=training, roles=[Role.CASE_WORKER])
    sandbox = Partner(training, trainee, programme())
    before = {}
    for partner in [*partners, sandbox]:
        with workspace_context(partner.organisation):
            last = OutboxEvent.objects.order_by("-id").values_list("id", flat=True).first()
        before[partner.organisation.pk] = last or 0
        deliver(partner, q2, today)

    drain_all_task.delay().get()  # the drain, as beat runs it
    for partner in [*partners, sandbox]:
        follow_up(partner, today)
    drain_all_task.delay().get()  # and again: the rest arrives
    drain_all_task.delay().get()  # a run with nothing new counts nothing twice

    counted = [child for partner in partners for child in partner.children]
    for partner in partners:
        with workspace_context(partner.organisation):
            events = OutboxEvent.objects.filter(drained_at__isnull=True)
            assert not events.exists()
            written = OutboxEvent.objects.filter(id__gt=before[partner.organisation.pk]).count()
        assert Fact.objects.filter(organisation=partner.organisation).count() == written
    assert not Fact.objects.filter(organisation=training).exists()
    with workspace_context(training):  # the sandbox did record its events; none left it
        assert OutboxEvent.objects.filter(drained_at__isnull=True).count() > 20

    # the figures equal the hand count, nationally and per organisation and county
    national = StatisticsScope()
    serv = ovc_serv(national, month_from, month_to)
    hivstat = ovc_hivstat(national, month_from, month_to)
    assert figures(serv) == hand_count(counted, Child.serv_row)
    assert figures(hivstat) == hand_count(counted, Child.hivstat_row)
    assert serv.cell("active", "SMAL|18-20") == 0 and serv.cell("active", "SFEM|18-20") == 2
    for partner in partners:
        own = StatisticsScope(organisation_id=partner.organisation.pk)
        expected = hand_count(partner.children, Child.serv_row)
        assert figures(ovc_serv(own, month_from, month_to)) == expected
    in_042 = ovc_hivstat(StatisticsScope(county="042"), month_from, month_to)
    assert figures(in_042) == hand_count(partners[0].children, Child.hivstat_row)
    assert (
        ovc_serv(StatisticsScope(organisation_id=training.pk), month_from, month_to).cell(
            TOTAL, TOTAL
        )
        == 0
    )

    # the export from the platform site: small cells hidden, complements too
    exported = {}
    analyst = client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))
    period = {"from": f"{month_from:%Y-%m}", "to": f"{month_to:%Y-%m}", "export_format": "csv"}
    for report, rows in (("ovc_serv", OVC_SERV_ROWS), ("ovc_hivstat", OVC_HIVSTAT_ROWS)):
        assert analyst.post("/statistics/exports/", {"report": report, **period}).status_code == 302
        job = ExportJob.objects.latest("id")
        assert job.status == "done", job.error
        body = analyst.get(f"/statistics/exports/{job.pk}/download/").streaming_content
        table = list(csv.reader(io.StringIO(b"".join(body).decode())))
        source = serv if report == "ovc_serv" else hivstat
        beside = source.beside_rows
        keys = [key for key, _ in rows] + [TOTAL] + [key for key, _ in beside]
        columns = [key for key, _ in source.columns] + [TOTAL]
        labels = [label for _, label in rows] + ["Total"] + [label for _, label in beside]
        assert [line[0] for line in table[1:]] == labels
        assert [line[1] for line in table[1:]] == [k if k != TOTAL else "" for k in keys]
        shown = {
            (row, column): table[1 + i][2 + j]
            for i, row in enumerate(keys)
            for j, column in enumerate(columns)
        }
        for cell, text in shown.items():
            true = source.values.get(cell, 0)
            if 0 < true < 5:
                assert text == SUPPRESSED, (report, cell, text)
            elif text != SUPPRESSED:
                assert text == str(true), (report, cell, text)
        added = [key for key in keys if key not in dict(beside)]  # the rows the total adds up
        for line in [[(r, c) for c in columns] for r in keys] + [
            [(r, c) for r in added] for c in columns
        ]:
            hidden = sum(shown[cell] == SUPPRESSED for cell in line)
            assert hidden != 1, (report, line)  # a lone hidden cell would follow from the total
        exported[report] = shown
    # the boy of 5-9 in each partner: 2 nationally, shown as "<5" with its complements
    assert serv.cell("active", "SMAL|5-9") == 2
    shown = exported["ovc_serv"]
    assert shown[("active", "SMAL|5-9")] == SUPPRESSED
    assert sum(text == SUPPRESSED for (row, _), text in shown.items() if row == "active") >= 2
    assert [shown[(row, "SMAL|5-9")] for row in ("active", TOTAL)] == [SUPPRESSED] * 2
    assert shown[(TOTAL, TOTAL)] == str(serv.cell(TOTAL, TOTAL))
