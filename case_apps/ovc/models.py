"""The OVC programme of an implementing partner, kept in the organisation's schema.

Persons live in the public registry (``shared_registry.Person``) and users in
``tenants.User``: referenced without database constraints (no cascade across schemas).
Coded fields hold the codes of the national ``ovc_*`` lists (``case_apps/lists/data_ovc.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from case_apps.cases.models import public_ref
from case_apps.client_ids import client_uuid
from case_apps.ovc import scoring
from tenants.limits import NOTES_MAX_LENGTH


class Household(models.Model):
    """One household per caregiver (its head)."""

    uuid = client_uuid()  # chosen by the client (offline capture) or drawn here
    number = models.CharField(_("household number"), max_length=32, unique=True)
    head = public_ref("shared_registry.Person")
    county_code = models.CharField(_("county"), max_length=8, blank=True)
    sub_county_code = models.CharField(_("sub-county"), max_length=8, blank=True)
    ward_code = models.CharField(_("ward"), max_length=8, blank=True)
    village = models.CharField(_("village / estate"), max_length=100, blank=True)
    # The officer who follows the household (the registering user unless reassigned): with
    # created_by, who sees it under the caseload scope of tenants.policy.case_scope.
    assigned_officer = public_ref(settings.AUTH_USER_MODEL, null=True)
    created_by = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["head"], name="ovc_one_household_per_head")]

    def __str__(self) -> str:
        return self.number


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = public_ref("shared_registry.Person")
    member_type = models.CharField(_("member type / relation"), max_length=8)
    is_head = models.BooleanField(_("head (caregiver)"), default=False)
    alive = models.BooleanField(_("alive"), default=True)
    death_cause = models.CharField(_("cause of death"), max_length=8, blank=True)
    hiv_status = models.CharField(_("HIV status"), max_length=8, default="HSKN")
    # For a child (TOVC, TBVC): the adult members who care for them (mother, grandmother...).
    caregivers = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="children_cared_for"
    )

    class Meta:
        ordering = ["-is_head", "id"]
        constraints = [
            models.UniqueConstraint(fields=["household", "person"], name="ovc_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_type} of {self.household_id}"


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXITED = "exited", _("Exited")


class Enrolment(models.Model):
    """A child enrolled in the OVC programme (OVC registration, Form 1A's subject)."""

    uuid = client_uuid()  # chosen by the client (offline capture) or drawn here
    child = public_ref("shared_registry.Person")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="enrolments")
    # The partner's OVC serial of the child, "<LIP code>/<00001>" (models_serials.ChildSerial)
    serial = models.CharField(_("OVC serial"), max_length=64, blank=True, db_index=True)
    programme = models.CharField(_("programme"), max_length=8, default="POVC")
    registration_date = models.DateField(_("registration date"))
    first_enrolment = models.BooleanField(_("first enrolment"), default=True)
    entry_point = models.CharField(_("entry point"), max_length=16)
    eligibility = ArrayField(models.CharField(max_length=8), verbose_name=_("eligibility"))
    hiv_status = models.CharField(_("HIV status"), max_length=8)
    art_status = models.CharField(_("ART"), max_length=8, blank=True)
    facility = models.CharField(_("ART facility"), max_length=200, blank=True)
    ccc_number = models.CharField(_("CCC number"), max_length=32, blank=True)
    school_level = models.CharField(_("school level"), max_length=8)
    school_class = models.CharField(_("class"), max_length=32, blank=True)
    birth_certificate = models.BooleanField(_("has a birth certificate"), default=False)
    disability = models.BooleanField(_("has a disability"), default=False)
    immunisation = models.CharField(_("immunisation"), max_length=8, blank=True)
    status = models.CharField(
        max_length=8, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    exit_reason = models.CharField(_("exit reason"), max_length=8, blank=True)
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    exit_notes = models.TextField(_("exit notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    created_by = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-registration_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(status="active"),
                name="ovc_one_active_enrolment_per_child",
            )
        ]
        indexes = [models.Index(fields=["status", "registration_date"], name="ovc_enrol_idx")]

    def __str__(self) -> str:
        return f"OVC {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status == EnrolmentStatus.ACTIVE


class ServiceRecord(models.Model):
    """A service delivered to an enrolled child (Form 1A services)."""

    uuid = client_uuid()  # chosen by the client (offline capture) or drawn here
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="services")
    domain = models.CharField(_("domain"), max_length=16)
    # The code of the domain's national service list (ovc_service_<domain>, data_ovc_plans).
    service = models.CharField(_("service"), max_length=16, blank=True)
    # What was typed before services were coded (kept readable, never lost).
    service_text = models.CharField(_("service (as typed)"), max_length=200, blank=True)
    provider = models.CharField(_("provider"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    date = models.DateField(_("date of service"))
    recorded_by = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["enrolment", "date"], name="ovc_service_idx")]

    def __str__(self) -> str:
        return f"{self.service or self.service_text} on {self.date}"


class Cpara(models.Model):
    """A household's Case Plan Achievement Readiness Assessment (May 2022 version)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="cparas")
    assessed_on = models.DateField(_("date of assessment"))
    answers = models.JSONField(default=dict)  # {"1": "yes" | "no" | "na", ... "9": ...}
    healthy = models.PositiveSmallIntegerField(default=0)
    stable = models.PositiveSmallIntegerField(default=0)
    safe = models.PositiveSmallIntegerField(default=0)
    schooled = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField(default=0)
    pathway = models.CharField(max_length=20, choices=scoring.PATHWAYS)
    assessed_by = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"CPARA {self.assessed_on}: {self.total}/9"

    @property
    def all_met(self) -> bool:
        return self.total == len(scoring.BENCHMARKS)


class CasePlanItem(models.Model):
    """One line of a household's case plan, in one domain."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="plan_items")
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, null=True, blank=True, related_name="plan_items"
    )
    domain = models.CharField(_("domain"), max_length=16)
    # Codes of the domain's national lists (ovc_cp_goal_<domain>... in data_ovc_plans).
    goal = models.CharField(_("goal"), max_length=16, blank=True)
    gap = models.CharField(_("need / gap"), max_length=16, blank=True)
    priority = models.CharField(_("priority"), max_length=16, blank=True)
    services = ArrayField(
        models.CharField(max_length=16), default=list, blank=True, verbose_name=_("services")
    )
    # What was typed before case plans were coded (kept readable, never lost).
    need_text = models.CharField(_("need / gap (as typed)"), max_length=300, blank=True)
    goal_text = models.CharField(_("goal (as typed)"), max_length=300, blank=True)
    services_text = models.CharField(_("services (as typed)"), max_length=300, blank=True)
    responsible = models.CharField(_("responsible"), max_length=20)
    due_date = models.DateField(_("target completion date"), null=True, blank=True)
    completed_on = models.DateField(_("actual completion date"), null=True, blank=True)
    achieved = models.BooleanField(_("achieved"), null=True, blank=True)
    result_notes = models.TextField(_("reasons / notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    recorded_by = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"{self.domain}: {self.goal or self.goal_text}"


class ReferralState(models.TextChoices):
    NOT_NEEDED = "not_needed", _("No test required")
    NEEDED = "needed", _("Test required, not referred yet")
    REFERRED = "referred", _("Referred for testing")
    COMPLETED = "completed", _("Tested, result recorded")
    NOT_DONE = "not_done", _("Not referred (reason given)")


class HivScreening(models.Model):
    """HIV risk screening of an enrolled child; flags who needs a testing referral."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="screenings")
    screened_on = models.DateField(_("date of screening"))
    status_known = models.CharField(_("known HIV status"), max_length=8)
    tested_last_6_months = models.BooleanField(_("tested in the last 6 months"), default=False)
    risks = ArrayField(models.CharField(max_length=32), default=list, blank=True)
    test_required = models.BooleanField(default=False)
    referral_state = models.CharField(max_length=12, choices=ReferralState.choices)
    consent_on = models.DateField(_("consent date"), null=True, blank=True)
    referred_on = models.DateField(_("referral made on"), null=True, blank=True)
    referral_completed_on = models.DateField(_("referral completed on"), null=True, blank=True)
    not_referred_reason = models.CharField(_("reason not referred"), max_length=200, blank=True)
    test_facility = models.CharField(_("testing facility (MFL code)"), max_length=10, blank=True)
    test_result = models.CharField(_("test result"), max_length=8, blank=True)
    art_referred_on = models.DateField(_("ART referral made on"), null=True, blank=True)
    art_referral_completed_on = models.DateField(
        _("ART referral completed on"), null=True, blank=True
    )
    art_facility = models.CharField(_("ART facility"), max_length=200, blank=True)
    screened_by = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-screened_on", "-id"]

    def __str__(self) -> str:
        return f"screening {self.screened_on}"


class HivManagementVisit(models.Model):
    """HIV management and adherence follow-up of a child living with HIV."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="hiv_visits")
    visit_date = models.DateField(_("visit date"))
    current_regimen = models.CharField(_("current regimen"), max_length=100, blank=True)
    adherence = models.CharField(_("adherence"), max_length=8)
    viral_load = models.PositiveIntegerField(_("viral load (copies/ml)"), null=True, blank=True)
    viral_load_date = models.DateField(_("viral load date"), null=True, blank=True)
    treatment_supporter = models.CharField(_("treatment supporter"), max_length=200, blank=True)
    next_appointment = models.DateField(_("next appointment"), null=True, blank=True)
    notes = models.TextField(_("actions / notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    recorded_by = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-visit_date", "-id"]

    def __str__(self) -> str:
        return f"HIV visit {self.visit_date}"


class WellbeingAssessment(models.Model):
    """A household (WBG) or adolescent (WBGA) wellbeing assessment over the four domains."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="wellbeing_assessments"
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("form"), max_length=8)
    assessed_on = models.DateField(_("date of assessment"))
    answers = models.JSONField(default=dict)  # question key -> true (yes) / false (no)
    scores = models.JSONField(default=dict)  # domain -> [yes answers, questions]
    notes = models.TextField(_("notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    assessed_by = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.assessed_on}"


# Models of the programme's subjects live in their own modules; importing them here
# registers them with the app (string references across modules: "ovc.Enrolment").
from case_apps.ovc import (  # noqa: E402, F401
    models_form1b,
    models_graduation,
    models_hiv,
    models_serials,
    models_visits,
)
