"""Governed sharing in the public schema: data sharing agreements and their history, consent
records with their versions, referrals and transfers of children between organisations, and
the services each organisation receives referrals for."""

from __future__ import annotations

import datetime
from uuid import uuid4

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.client_ids import client_uuid
from tenants.limits import NOTES_MAX_LENGTH


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for the provider")
    ACCEPTED = "accepted", _("Waiting for DCS approval")
    APPROVED = "approved", _("Approved, not yet started")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined by the provider")
    REJECTED = "rejected", _("Rejected by DCS")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


OPEN_STATUSES = (AgreementStatus.DRAFT, AgreementStatus.SUBMITTED, AgreementStatus.ACCEPTED)
IN_FORCE_STATUSES = (AgreementStatus.APPROVED, AgreementStatus.ACTIVE)


class PersonsMode(models.TextChoices):
    NAMED = "named", _("Named persons")
    REFERRED = "referred", _("Persons known to both organisations")
    ALL = "all", _("All the provider's clients")


class DataSharingAgreement(models.Model):
    """One organisation (the requester) may read scoped records of another (the provider)."""

    uuid = client_uuid()  # chosen by the client (offline capture) or drawn here
    requester = models.ForeignKey(
        "tenants.Organisation",
        on_delete=models.PROTECT,
        related_name="agreements_requested",
        verbose_name=_("requesting organisation"),
    )
    provider = models.ForeignKey(
        "tenants.Organisation",
        on_delete=models.PROTECT,
        related_name="agreements_providing",
        verbose_name=_("providing organisation"),
    )
    # {record kind: [field, ...]} (kinds and fields registered in sharing.registry)
    scope = models.JSONField(_("scope"), default=dict)
    persons_mode = models.CharField(
        _("which persons"), max_length=16, choices=PersonsMode.choices, default=PersonsMode.NAMED
    )
    person_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    purpose = models.TextField(_("purpose"), max_length=NOTES_MAX_LENGTH)
    legal_basis = models.TextField(_("legal basis"), max_length=NOTES_MAX_LENGTH)
    # The legal basis is the consent of the child or a caregiver (or a court order recorded
    # as a consent): the agreement covers a person only while a consent in force covers
    # everything it shares about them (sharing.selectors.person_in_scope).
    consent_based = models.BooleanField(_("relies on consent"), default=False)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(
        max_length=16,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requester", "status"], name="agreement_requester_idx"),
            models.Index(fields=["provider", "status"], name="agreement_provider_idx"),
            models.Index(fields=["end_date"], name="agreement_end_idx"),
        ]

    def __str__(self) -> str:
        return f"Agreement #{self.pk}: {self.provider_id} -> {self.requester_id}"

    def in_force_on(self, day: datetime.date) -> bool:
        return self.status in IN_FORCE_STATUSES and self.start_date <= day <= self.end_date

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def fields_of(self, kind: str) -> list[str]:
        return list(self.scope.get(kind, []))


class AgreementEventKind(models.TextChoices):
    CREATED = "created", _("Drafted")
    SUBMITTED = "submitted", _("Submitted to the provider")
    ACCEPTED = "accepted", _("Accepted by the provider")
    DECLINED = "declined", _("Declined by the provider")
    APPROVED = "approved", _("Approved by DCS")
    REJECTED = "rejected", _("Rejected by DCS")
    ACTIVATED = "activated", _("Came into force")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class StepEvent(models.Model):
    """What every step of an agreement's or a referral's life records: who (and for which
    side), when, why."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_email = models.CharField(max_length=254, blank=True)
    acting_as = models.CharField(max_length=16, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=NOTES_MAX_LENGTH)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["occurred_at", "id"]


class AgreementEvent(StepEvent):
    """One step in an agreement's life: who, when, why."""

    agreement = models.ForeignKey(
        DataSharingAgreement, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=16, choices=AgreementEventKind.choices)
    status_after = models.CharField(max_length=16, choices=AgreementStatus.choices)
    # acting_as: "requester", "provider", "dcs" or "system"

    def __str__(self) -> str:
        return f"{self.kind} #{self.agreement_id}"


# --- Consent ------------------------------------------------------------------------------------
class ConsentGiver(models.TextChoices):
    CHILD = "child", _("The child")
    PARENT = "parent", _("A parent")
    CAREGIVER = "caregiver", _("A caregiver or guardian")
    COURT_ORDER = "court_order", _("A court order")


class Consent(models.Model):
    """One version of a consent to share a child's data: who gave it, for what purpose and
    which data, from when until when. Changing a consent records a new version that
    supersedes this one (same ``series``); withdrawing it stops the sharing that relied on it.
    """

    series = models.UUIDField(default=uuid4, db_index=True, editable=False)
    uuid = client_uuid()  # this version's: chosen by the client or drawn here
    version = models.PositiveIntegerField(default=1)
    person = models.ForeignKey("shared_registry.Person", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "tenants.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    given_by = models.CharField(_("given by"), max_length=16, choices=ConsentGiver.choices)
    giver_name = models.CharField(_("name (or court)"), max_length=200)
    giver_relationship = models.CharField(
        _("relationship to the child"), max_length=100, blank=True
    )
    reference = models.CharField(_("court order or form reference"), max_length=100, blank=True)
    purpose = models.TextField(_("purpose"), max_length=NOTES_MAX_LENGTH)
    # {record kind: [field, ...]}: the same shape as an agreement's scope
    scope = models.JSONField(_("data covered"), default=dict)
    given_on = models.DateField(_("given on"))
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_reason = models.TextField(
        _("reason for withdrawal"), blank=True, max_length=NOTES_MAX_LENGTH
    )

    class Meta:
        ordering = ["series", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="consent_version_once")
        ]
        indexes = [models.Index(fields=["person", "organisation"], name="consent_person_org_idx")]

    def __str__(self) -> str:
        return f"Consent {self.series} v{self.version} for {self.person_id}"

    def in_force_on(self, day: datetime.date) -> bool:
        return (
            self.withdrawn_at is None
            and self.superseded_at is None
            and self.given_on <= day <= self.valid_until
        )

    def covers(self, kind: str, fields) -> bool:
        return set(fields) <= set(self.scope.get(kind, []))

    @property
    def state(self) -> str:
        if self.withdrawn_at:
            return "withdrawn"
        if self.superseded_at:
            return "superseded"
        today = timezone.localdate()
        if self.valid_until < today:
            return "expired"
        if self.given_on > today:
            return "not_yet"
        return "in_force"


# --- Referral and transfer between organisations ------------------------------------------------
class ReferralService(models.TextChoices):
    """What a child may be referred for (GLOSSARY: referral types and needs)."""

    RESIDENTIAL_CARE = "SCRC", _("Residential care")
    ALTERNATIVE_FAMILY_CARE = "RMAF", _("Alternative family care (foster, kinship)")
    TEMPORARY_SHELTER = "RMTS", _("Temporary shelter / rescue")
    COUNSELLING = "RMPC", _("Psychosocial counselling")
    MEDICAL = "RMTX", _("Medical examination and treatment")
    LEGAL = "RMLG", _("Legal services")
    EDUCATION = "RMSK", _("School enrolment and education support")
    FAMILY_TRACING = "LSTR", _("Family tracing and reunification")
    OVC_PROGRAMME = "POVC", _("OVC programme (household support)")
    STATUTORY = "STAT", _("Statutory case management (DCS)")


class OrganisationServices(models.Model):
    """The services an organisation receives referrals for (the directory's third filter)."""

    organisation = models.OneToOneField(
        "tenants.Organisation", on_delete=models.CASCADE, related_name="referral_services"
    )
    services = ArrayField(models.CharField(max_length=4), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.organisation_id}: {', '.join(self.services)}"


class ReferralKind(models.TextChoices):
    REFERRAL = "referral", _("Referral (the sender keeps its case)")
    TRANSFER = "transfer", _("Transfer (the sender's case closes as transferred)")


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the receiver")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")


ONE_OPEN_TRANSFER = "orgref_one_open_transfer_per_case"


class OrganisationReferral(models.Model):
    """A child referred or transferred from one organisation (the sender) to another (the
    receiver), carrying a consented, scoped summary taken when it was sent."""

    uuid = client_uuid()  # chosen by the client (offline capture) or drawn here
    sender = models.ForeignKey(
        "tenants.Organisation", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    receiver = models.ForeignKey(
        "tenants.Organisation", on_delete=models.PROTECT, related_name="referrals_received"
    )
    person = models.ForeignKey("shared_registry.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=ReferralKind.choices)
    reason = models.TextField(_("reason"), max_length=NOTES_MAX_LENGTH, blank=True)
    # the referral reasons of the case record sheet (referral_reason codes), when given
    reasons = ArrayField(models.CharField(max_length=16), default=list, blank=True)
    services = ArrayField(models.CharField(max_length=4), default=list, blank=True)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="referrals")
    # {record kind: {"fields": [...], "rows": [{field: value}, ...]}}, only consented fields
    summary = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    # the sender's case (in the sender's schema: an id, not a foreign key)
    sender_case_id = models.BigIntegerField()
    sender_case_reference = models.CharField(max_length=64)
    # the receiver's case opened on acceptance
    receiver_case_id = models.BigIntegerField(null=True, blank=True)
    receiver_case_reference = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=16,
        choices=ReferralStatus.choices,
        default=ReferralStatus.PENDING,
        db_index=True,
    )
    # the day the receiver completed a referral (entered by its officer)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # the sending officer's work phone, when they chose to share it with the receiver
    sender_phone = models.CharField(_("sending officer's work phone"), max_length=32, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["receiver", "status"], name="orgref_receiver_idx"),
            models.Index(fields=["sender", "sender_case_id"], name="orgref_sender_case_idx"),
        ]
        constraints = [
            # one transfer at a time: a case has at most one transfer pending or accepted
            # (referral_send checks it first; this holds when two sends race)
            models.UniqueConstraint(
                fields=["sender", "sender_case_id"],
                condition=models.Q(
                    kind=ReferralKind.TRANSFER,
                    status__in=[ReferralStatus.PENDING, ReferralStatus.ACCEPTED],
                ),
                name=ONE_OPEN_TRANSFER,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}: {self.sender_id} -> {self.receiver_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == ReferralStatus.PENDING


class ReferralEventKind(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted by the receiver")
    DECLINED = "declined", _("Declined by the receiver")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")
    CONSENT_CHANGED = "consent_changed", _("Consent changed")


class ReferralEvent(StepEvent):
    """One step of a referral: who, which side, when, why."""

    referral = models.ForeignKey(
        OrganisationReferral, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=16, choices=ReferralEventKind.choices)
    status_after = models.CharField(max_length=16, choices=ReferralStatus.choices)
    # acting_as: "sender", "receiver" or "system"

    def __str__(self) -> str:
        return f"{self.kind} #{self.referral_id}"


class SharingGeneration(models.Model):
    """One row whose value changes (from a sequence, never reused) whenever an agreement, a
    consent or an organisation changes: database triggers do it, so no code path can forget.
    The gateway keeps agreements in memory and checks this value in the same round trip as
    its read; a different value means the memory is stale and it reads them afresh."""

    value = models.BigIntegerField(default=0)

    class Meta:
        db_table = "sharing_generation"

    def __str__(self) -> str:
        return f"sharing generation {self.value}"


# Models of sharing's subjects in their own modules; importing them registers them.
from sharing import models_ovc_transfers, models_vacancies  # noqa: E402, F401
