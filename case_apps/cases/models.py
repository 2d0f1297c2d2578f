"""Case records and everything that happens to them, kept in the organisation's schema.

People are referenced in the public registry (``shared_registry.Person``) and users
in ``tenants.User`` without database constraints (no cascade across schemas).
Coded fields hold codes of the national lists (``case_apps.lists``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from case_apps.client_ids import client_uuid
from tenants.limits import NARRATIVE_MAX_LENGTH, NOTES_MAX_LENGTH


def public_ref(to: str, related_name: str = "+", null: bool = False) -> models.ForeignKey:
    """A reference from a tenant table into public: no constraint, no cascade."""
    return models.ForeignKey(
        to,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name=related_name,
        null=null,
        blank=null,
    )


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSURE_REQUESTED = "closure_requested", _("Closure requested")
    CLOSED = "closed", _("Closed")
    TRANSFERRED = "transferred", _("Transferred")


class CaseStage(models.TextChoices):
    """Where the case is in its life (GLOSSARY: case_stage): pending until the first action
    after intake, then active; closed; reopened after a supervisor approved reopening."""

    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


class HowReported(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone call")
    HELPLINE = "helpline", _("Helpline")
    REFERRAL = "referral", _("Referral")
    OUTREACH = "outreach", _("Outreach / community")
    COURT = "court", _("Court")
    POLICE = "police", _("Police")


class CaseSerialCounter(models.Model):
    """The organisation's running case number, per year."""

    year = models.PositiveSmallIntegerField(unique=True)
    last_serial = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_serial}"


class CaseRecord(models.Model):
    """A case record sheet (CRS): one child, one or more case categories."""

    uuid = client_uuid()  # chosen by the client (offline capture) or drawn here
    serial_number = models.PositiveIntegerField()
    year = models.PositiveSmallIntegerField()
    national_reference = models.CharField(_("case reference"), max_length=64, unique=True)
    child = public_ref("shared_registry.Person")
    # Reporting
    date_reported = models.DateField(_("date reported"))
    how_reported = models.CharField(_("how reported"), max_length=16, choices=HowReported.choices)
    reporter_type = models.CharField(_("reporter"), max_length=16)
    reporter_name = models.CharField(_("reporter's name"), max_length=200, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=32, blank=True)
    reporter_relationship = models.CharField(
        _("reporter's relationship to the child"), max_length=100, blank=True
    )
    # the police and the court already involved when the case reached the office (CRS)
    police_station = models.CharField(_("police station"), max_length=200, blank=True)
    ob_number = models.CharField(_("OB number"), max_length=64, blank=True)
    court_name = models.CharField(_("court"), max_length=200, blank=True)
    court_file_number = models.CharField(_("court file number"), max_length=64, blank=True)
    summons_issued = models.BooleanField(_("summons issued"), default=False)
    summons_issued_on = models.DateField(_("summons issued on"), null=True, blank=True)
    # Place of occurrence (geography codes of the shared registry)
    occurrence_county_code = models.CharField(_("county"), max_length=8, blank=True)
    occurrence_sub_county_code = models.CharField(_("sub-county"), max_length=8, blank=True)
    occurrence_ward_code = models.CharField(_("ward"), max_length=8, blank=True)
    occurrence_village = models.CharField(_("village / estate"), max_length=100, blank=True)
    # The child's residence when the case was reported (the CRS records it per case; the
    # registry person keeps the county, sub-county and ward it was registered with)
    residence_county_code = models.CharField(_("county of residence"), max_length=8, blank=True)
    residence_sub_county_code = models.CharField(
        _("sub-county of residence"), max_length=8, blank=True
    )
    residence_ward_code = models.CharField(_("ward of residence"), max_length=8, blank=True)
    residence_village = models.CharField(
        _("village / estate of residence"), max_length=100, blank=True
    )
    # Assessment at intake
    risk_level = models.CharField(_("risk level"), max_length=16)
    is_emergency = models.BooleanField(_("emergency"), default=False)
    immediate_needs = ArrayField(models.CharField(max_length=16), default=list, blank=True)
    long_term_needs = ArrayField(models.CharField(max_length=16), default=list, blank=True)
    intake_intervention = models.CharField(_("intervention at intake"), max_length=16, blank=True)
    narrative = models.TextField(_("case narrative"), blank=True, max_length=NARRATIVE_MAX_LENGTH)
    # The categories' codes, kept with the case so that the caseload filters by category
    # through one GIN index instead of a subquery per row.
    category_codes = ArrayField(models.CharField(max_length=16), default=list, blank=True)
    # Ownership and life cycle
    assigned_officer = public_ref(settings.AUTH_USER_MODEL)
    created_by = public_ref(settings.AUTH_USER_MODEL)
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    stage = models.CharField(
        _("stage"), max_length=16, choices=CaseStage.choices, default=CaseStage.PENDING
    )
    # the date of the first action after intake (record_event in case_apps/cases/services/common.py)
    activated_on = models.DateField(_("active since"), null=True, blank=True)
    closure_reason = models.CharField(max_length=16, blank=True)
    closure_notes = models.TextField(blank=True, max_length=NOTES_MAX_LENGTH)
    closed_at = models.DateTimeField(null=True, blank=True)  # when the closure was approved
    # the day the case closed, entered by the officer (not the approval's day)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date_reported", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial_number"], name="one_serial_per_year")
        ]
        indexes = [
            models.Index(fields=["assigned_officer", "status"], name="case_officer_status_idx"),
            models.Index(fields=["status", "-date_reported"], name="case_status_date_idx"),
            models.Index(fields=["-date_reported", "-id"], name="case_date_idx"),
            models.Index(fields=["child"], name="case_child_idx"),
            models.Index(fields=["created_by"], name="case_creator_idx"),
            models.Index(fields=["stage", "-date_reported", "-id"], name="case_stage_date_idx"),
            # the workspace home's tiles: counted by stage, status and risk from the index
            models.Index(fields=["stage", "status", "risk_level"], name="case_tiles_idx"),
            # the workspace home's recent cases
            models.Index(fields=["-created_at", "-id"], name="case_created_idx"),
            GinIndex(fields=["category_codes"], name="case_category_codes_gin"),
            # and case_reference_trgm on upper(national_reference), for a search by any part of
            # a reference ("118/2026"): raw SQL in migration 0013 (see there why)
        ]

    def __str__(self) -> str:
        return self.national_reference

    @property
    def is_open(self) -> bool:
        return self.status in {CaseStatus.OPEN, CaseStatus.CLOSURE_REQUESTED}


class CaseCategory(models.Model):
    """One case category of a case record sheet, with its details."""

    case = models.ForeignKey(CaseRecord, on_delete=models.CASCADE, related_name="categories")
    category_code = models.CharField(_("case category"), max_length=16, db_index=True)
    sub_category_codes = ArrayField(models.CharField(max_length=16), default=list, blank=True)
    date_of_event = models.DateField(_("date of event"), null=True, blank=True)
    place_of_event = models.CharField(_("place of event"), max_length=16, blank=True)
    nature = models.CharField(_("nature"), max_length=16, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.category_code


class Perpetrator(models.Model):
    case = models.ForeignKey(CaseRecord, on_delete=models.CASCADE, related_name="perpetrators")
    status = models.CharField(_("perpetrator"), max_length=16)
    name = models.CharField(_("name"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=8, blank=True)
    relationship_code = models.CharField(_("relationship to the child"), max_length=16, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.status} {self.name}".strip()


class CaseCaregiver(models.Model):
    """A parent or caregiver of the child in this case (a registry person)."""

    case = models.ForeignKey(CaseRecord, on_delete=models.CASCADE, related_name="caregivers")
    person = public_ref("shared_registry.Person")
    relationship_code = models.CharField(_("relationship"), max_length=16)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.relationship_code} of case {self.case_id}"


class FollowUp(models.Model):
    """Anything done on a case after intake: services, visits, court sessions, summons."""

    uuid = client_uuid()  # chosen by the client (offline capture) or drawn here
    case = models.ForeignKey(CaseRecord, on_delete=models.CASCADE, related_name="follow_ups")
    follow_up_type = models.CharField(_("type"), max_length=16)
    date = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    officer = public_ref(settings.AUTH_USER_MODEL)
    # Court sessions
    court_name = models.CharField(_("court"), max_length=200, blank=True)
    court_file_number = models.CharField(_("court file number"), max_length=64, blank=True)
    court_session_type = models.CharField(_("session"), max_length=16, blank=True)
    court_outcome = models.CharField(_("outcome"), max_length=16, blank=True)
    adjournment_reason = models.CharField(_("adjourned for"), max_length=16, blank=True)
    next_court_date = models.DateField(_("next court date"), null=True, blank=True)
    court_order = models.CharField(_("court order"), max_length=16, blank=True)
    # Summons
    summons_issued_on = models.DateField(_("summons issued on"), null=True, blank=True)
    summons_served_on = models.DateField(_("summons served on"), null=True, blank=True)
    summons_honoured = models.BooleanField(_("summons honoured"), null=True, blank=True)
    summons_honoured_on = models.DateField(_("summons honoured on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["case", "date"], name="followup_case_date_idx")]

    def __str__(self) -> str:
        return f"{self.follow_up_type} on {self.date}"


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    # a referral to an organisation on the platform follows what its receiver did
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")


class Referral(models.Model):
    """A referral of the child to another actor (police, hospital, court, CCI, school...),
    for one or more reasons (one hospital for both a medical examination and PEP). A referral
    to an organisation with a workspace is the inter-organisation referral itself
    (``organisation_referral``): its status follows what the receiver does."""

    case = models.ForeignKey(CaseRecord, on_delete=models.CASCADE, related_name="referrals")
    actor = models.CharField(_("actor"), max_length=16)
    destination = models.CharField(_("referred to"), max_length=16)
    destination_name = models.CharField(
        _("name of the receiving actor"), max_length=200, blank=True
    )
    reasons = ArrayField(models.CharField(max_length=16), verbose_name=_("reasons"), default=list)
    referred_on = models.DateField(_("referred on"))
    status = models.CharField(
        max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    outcome = models.TextField(_("outcome"), blank=True, max_length=NOTES_MAX_LENGTH)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    officer = public_ref(settings.AUTH_USER_MODEL)
    # the referral sent to an organisation on the platform (in public), when it is one
    organisation_referral = public_ref("sharing.OrganisationReferral", null=True)

    class Meta:
        ordering = ["referred_on", "id"]

    def __str__(self) -> str:
        return f"{self.destination} ({self.get_status_display()})"

    @property
    def follows_receiver(self) -> bool:
        """Whether the receiving organisation, not this officer, says what came of it."""
        return self.organisation_referral_id is not None


class Placement(models.Model):
    """Institutional placement or alternative family care, from admission to discharge."""

    case = models.ForeignKey(CaseRecord, on_delete=models.CASCADE, related_name="placements")
    care_type = models.CharField(_("type of care"), max_length=16)
    placed_with = models.CharField(_("institution or family"), max_length=200)
    admission_number = models.CharField(_("admission number"), max_length=64, blank=True)
    admitted_on = models.DateField(_("admitted / placed on"))
    admission_type = models.CharField(_("admission type"), max_length=16, blank=True)
    admission_reason = models.CharField(_("admission reason"), max_length=16, blank=True)
    committal_order_number = models.CharField(_("committal order no."), max_length=64, blank=True)
    expected_exit_on = models.DateField(_("expected exit"), null=True, blank=True)
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    discharge_notes = models.TextField(
        _("discharge notes"), blank=True, max_length=NOTES_MAX_LENGTH
    )
    officer = public_ref(settings.AUTH_USER_MODEL)

    class Meta:
        ordering = ["admitted_on", "id"]

    def __str__(self) -> str:
        return f"{self.care_type} with {self.placed_with}"


class BursaryAward(models.Model):
    """A bursary awarded to the child: recorded as decided elsewhere, or made by the approval
    of an application (``models_bursary.BursaryApplication``). ``bursary_type`` is a code of
    the ``bursary_type`` list (BPRE, BCDF...)."""

    case = models.ForeignKey(CaseRecord, on_delete=models.CASCADE, related_name="bursaries")
    bursary_type = models.CharField(_("bursary"), max_length=32)
    application = models.OneToOneField(
        "cases.BursaryApplication",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="award",
    )
    amount_kes = models.DecimalField(_("amount (KES)"), max_digits=10, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("year"))
    term = models.PositiveSmallIntegerField(_("term"), null=True, blank=True)
    awarded_on = models.DateField(_("awarded on"))

    class Meta:
        ordering = ["awarded_on", "id"]

    def __str__(self) -> str:
        return f"{self.bursary_type} {self.year}"


class CasePlan(models.Model):
    """The plan for the child, approved by a supervisor before it counts."""

    case = models.ForeignKey(CaseRecord, on_delete=models.CASCADE, related_name="plans")
    goals = models.TextField(_("goals"), max_length=NOTES_MAX_LENGTH)
    needs = models.TextField(_("needs"), blank=True, max_length=NOTES_MAX_LENGTH)
    services = models.TextField(_("services and actions"), max_length=NOTES_MAX_LENGTH)
    responsible = models.CharField(_("responsible"), max_length=200)
    due_on = models.DateField(_("due date"))
    is_approved = models.BooleanField(default=False)
    created_by = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Plan for case {self.case_id} due {self.due_on}"


class ApprovalKind(models.TextChoices):
    CLOSURE = "closure", _("Case closure")
    CASE_PLAN = "case_plan", _("Case plan")
    REOPENING = "reopening", _("Case reopening")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ApprovalRequest(models.Model):
    """A request that a supervisor must approve (closure, case plan, reopening)."""

    case = models.ForeignKey(CaseRecord, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(max_length=16, choices=ApprovalKind.choices)
    status = models.CharField(
        max_length=16, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    case_plan = models.ForeignKey(CasePlan, on_delete=models.CASCADE, null=True, blank=True)
    closure_reason = models.CharField(_("closure reason"), max_length=16, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    # closure: the closure date and the final intervention of each category
    # ([{"category_id", "intervention_code", "notes"}]), recorded on the case when approved
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    final_interventions = models.JSONField(default=list, blank=True)
    # reopening: the day the case reopens
    reopened_on = models.DateField(_("reopened on"), null=True, blank=True)
    requested_by = public_ref(settings.AUTH_USER_MODEL)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = public_ref(settings.AUTH_USER_MODEL, null=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True, max_length=NOTES_MAX_LENGTH)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(status="pending"),
                name="one_pending_approval_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class CaseEvent(models.Model):
    """The case's history: every state change with who, when and why."""

    case = models.ForeignKey(CaseRecord, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = public_ref(settings.AUTH_USER_MODEL)
    action = models.CharField(max_length=48)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    reason = models.TextField(blank=True, max_length=NOTES_MAX_LENGTH)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"


class Supervision(models.Model):
    """Who supervises whom inside the organisation (a supervisor sees the team's cases)."""

    supervisor = public_ref(settings.AUTH_USER_MODEL)
    officer = public_ref(settings.AUTH_USER_MODEL)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["supervisor", "officer"], name="supervise_once")
        ]

    def __str__(self) -> str:
        return f"{self.supervisor_id} supervises {self.officer_id}"


class Attachment(models.Model):
    """A court order, medical report or other document attached to a case."""

    case = models.ForeignKey(CaseRecord, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(max_length=300)
    title = models.CharField(_("title"), max_length=200)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveIntegerField()
    uploaded_by = public_ref(settings.AUTH_USER_MODEL)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


# Models of the case app's subjects live in their own modules; importing them here
# registers them with the app (string references across modules: "cases.CaseRecord").
import case_apps.cases.models_teams  # noqa: E402, F401
from case_apps.cases import (  # noqa: E402, F401
    models_bursary,
    models_court,
    models_interventions,
    models_tiles,
)
