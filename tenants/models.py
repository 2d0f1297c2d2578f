"""Organisations (tenants), domains, users and memberships: all in the public schema."""

from __future__ import annotations

import re

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants.organisation_codes import RegistrationType, TypeCode

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
RESERVED_SLUGS = frozenset(
    {
        "www",
        "api",
        "admin",
        "static",
        "media",
        "public",
        "platform",
        "console",
        "dcs",
        "mail",
        "smtp",
        "ftp",
        "localhost",
        "template",
        "test",
        "help",
        "support",
        "status",
        "docs",
        "app",
        "auth",
        "accounts",
        "login",
        "signup",
        "cpims",
        "pg",
        "postgres",
    }
)


def validate_workspace_slug(value: str) -> None:
    """Lowercase letters, digits and hyphens, 3 to 40 characters, not a reserved word."""
    if not SLUG_PATTERN.match(value or ""):
        raise ValidationError(
            _(
                "Use 3 to 40 lowercase letters, digits or hyphens, starting with a letter "
                "and not ending with a hyphen."
            ),
            code="invalid_slug",
        )
    if value in RESERVED_SLUGS or value.startswith(("pg_", "xn--")):
        raise ValidationError(_("“%(slug)s” is reserved."), params={"slug": value}, code="reserved")


def schema_name_for_slug(slug: str) -> str:
    return "org_" + slug.replace("-", "_")


class OrganisationKind(models.TextChoices):
    DCS_COUNTY_OFFICE = "dcs_county_office", _("DCS county office")
    DCS_SUB_COUNTY_OFFICE = "dcs_sub_county_office", _("DCS sub-county office")
    STATUTORY_INSTITUTION = "statutory_institution", _("Statutory institution")
    CCI = "cci", _("Charitable children's institution")
    IMPLEMENTING_PARTNER = "ip", _("Implementing partner")
    LOCAL_IMPLEMENTING_PARTNER = "lip", _("Local implementing partner")
    OTHER_NGO = "ngo", _("Other NGO")


class OrganisationStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified, waiting for its workspace")
    PROVISIONING = "provisioning", _("Workspace being set up")
    FAILED = "failed", _("Workspace set-up failed")
    REJECTED = "rejected", _("Rejected")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ARCHIVED = "archived", _("Archived")


class Organisation(TenantMixin):
    """An organisation with its own workspace (PostgreSQL schema)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.CharField(
        _("workspace address"), max_length=40, unique=True, validators=[validate_workspace_slug]
    )
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    # County and sub-county codes (IEBC county code, constituency code). They
    # become references to the shared registry's geography when it lands.
    county_code = models.CharField(_("county code"), max_length=3, blank=True)
    sub_county_code = models.CharField(_("sub-county code"), max_length=4, blank=True)
    # The legacy org-unit type code (tenants/organisation_codes.py says which fit which kind).
    type_code = models.CharField(
        _("type code"), max_length=4, blank=True, choices=TypeCode.choices, db_index=True
    )
    registration_type = models.CharField(
        _("registration type"), max_length=4, blank=True, choices=RegistrationType.choices
    )
    registration_number = models.CharField(_("registration number"), max_length=64, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    # A CCI's licence and gazettement (warned 60 days before they expire).
    licence_number = models.CharField(_("licence number"), max_length=64, blank=True)
    licence_expires_on = models.DateField(_("licence expires on"), null=True, blank=True)
    gazettement_number = models.CharField(_("gazettement number"), max_length=64, blank=True)
    gazetted_on = models.DateField(_("gazetted on"), null=True, blank=True)
    gazettement_expires_on = models.DateField(_("gazettement expires on"), null=True, blank=True)
    # Warnings already sent, one per document, threshold and expiry date
    # ("licence:60:2027-01-31"), so the daily check sends each once.
    expiry_notices = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    # A sub-county office's county office; a local implementing partner's implementing
    # partner (organisation_codes.PARENT_KIND); none for other kinds.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organisation"),
    )
    physical_address = models.CharField(_("physical address"), max_length=300, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    # Self-onboarding: who applied, what the operator decided, how provisioning went.
    applicant = models.ForeignKey(
        "tenants.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "tenants.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    provisioning_steps = ArrayField(models.CharField(max_length=32), default=list, blank=True)
    provisioning_error = models.TextField(blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.PENDING,
    )
    training = models.BooleanField(
        _("training workspace"),
        default=False,
        help_text=_("A sandbox whose data never reaches national figures."),
    )
    # Forms typed in the web app by members who do not supervise wait for a supervisor's
    # approval, as field forms synced from the offline app do (issue 21; docs/mobile.md).
    staff_forms_need_approval = models.BooleanField(
        _("staff forms need approval"),
        default=False,
        help_text=_(
            "Services, assessments and follow-ups typed in the web app by members who do "
            "not supervise wait for a supervisor's approval before they count."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # Schemas are created by provisioning, never as a side effect of save().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="organisation_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == OrganisationStatus.ACTIVE


class Domain(DomainMixin):
    """A host name routed to an organisation (``<slug>.<base domain>`` or a custom one)."""

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class PlatformRole(models.TextChoices):
    """Roles at DCS headquarters, held on the platform rather than in an organisation."""

    NATIONAL_ADMINISTRATOR = "national_administrator", _("National administrator")
    SHARING_APPROVER = "sharing_approver", _("Data sharing approver")
    ANALYST = "analyst", _("Analyst")
    REGISTRY_MANAGER = "registry_manager", _("Registry manager")


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in; lives once in public, whatever organisations they belong to."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    platform_roles = ArrayField(
        models.CharField(max_length=32, choices=PlatformRole.choices), default=list, blank=True
    )
    # The language chosen with the language switch, applied again at every sign-in.
    preferred_language = models.CharField(
        _("language"), max_length=8, blank=True, choices=[("en", "English"), ("sw", "Kiswahili")]
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]


class Role(models.TextChoices):
    """Roles a member holds inside an organisation."""

    ORGANISATION_ADMIN = "organisation_admin", _("Organisation administrator")
    SUPERVISOR = "supervisor", _("Supervisor")
    CASE_WORKER = "case_worker", _("Case worker")
    DATA_CLERK = "data_clerk", _("Data clerk")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """Ties a user to an organisation with one or more roles."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    roles = ArrayField(models.CharField(max_length=32, choices=Role.choices))
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org"),
            models.CheckConstraint(condition=~models.Q(roles=[]), name="membership_has_a_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation}"

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in self.roles]


class Invitation(models.Model):
    """An organisation admin's invitation for someone (by email) to join with a role."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} to {self.organisation}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
