"""The shared registry (public schema): geography, the person registry and its links,
potential duplicates and merges, and national directories (facilities, schools,
organisations). No case data is ever stored here."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared_registry import checkdigit
from shared_registry.identifiers import IdentifierType
from tenants.client_ids import client_uuid


# --- Geography (IEBC codes: county 3 digits, constituency 3, ward 4) -------------------------
class County(models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name


class SubCounty(models.Model):
    """A sub-county as CPIMS counts them: the 290 constituencies (see docs/registry.md)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="sub_counties")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = _("sub-counties")

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    code = models.CharField(_("code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    sub_county = models.ForeignKey(SubCounty, on_delete=models.PROTECT, related_name="wards")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


# --- Persons -------------------------------------------------------------------------------
class Sex(models.TextChoices):
    MALE = "SMAL", _("Male")
    FEMALE = "SFEM", _("Female")
    INTERSEX = "SINT", _("Intersex")


def full_name(first_name: str, other_names: str, surname: str) -> str:
    """A person's names as one reads them (first, other, surname), the empty ones left out."""
    return " ".join(p for p in (first_name, other_names, surname) if p)


class Person(models.Model):
    """One real person (child, caregiver, household member, workforce member)."""

    cpims_id = models.CharField(_("CPIMS person ID"), max_length=10, unique=True, editable=False)
    uuid = client_uuid()  # chosen by the registering client (offline capture) or drawn here
    first_name = models.CharField(_("first name"), max_length=100)
    other_names = models.CharField(_("other names"), max_length=150, blank=True)
    surname = models.CharField(_("surname"), max_length=100)
    also_known_as = models.CharField(_("also known as"), max_length=200, blank=True)
    # identity evidence, as on a birth certificate or notification: two children with the
    # same names and year but different mothers are two children (matching.py)
    mother_name = models.CharField(
        _("mother's name"),
        max_length=200,
        blank=True,
        help_text=_("As on the birth certificate or the child's file; blank when unknown."),
    )
    sex = models.CharField(_("sex"), max_length=4, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_date_estimated = models.BooleanField(_("date of birth is estimated"), default=False)
    date_of_death = models.DateField(_("date of death"), null=True, blank=True)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sub_county = models.ForeignKey(
        SubCounty, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # matching keys, kept by services.person_register / person_update
    search_name = models.CharField(max_length=400, blank=True, editable=False)
    name_keys = ArrayField(models.CharField(max_length=80), default=list, editable=False)
    # a merged-away person points at its survivor; its CPIMS ID still resolves there
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_persons"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "tenants.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_in = models.ForeignKey(
        "tenants.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organisation whose clerk registered the person (none: platform)."),
    )

    class Meta:
        ordering = ["surname", "first_name"]
        indexes = [
            GinIndex(fields=["name_keys"], name="registry_person_keys_gin"),
            GinIndex(
                fields=["search_name"], opclasses=["gin_trgm_ops"], name="registry_person_trgm"
            ),
            models.Index(fields=["birth_year"], name="registry_person_year"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.cpims_id})"

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.other_names, self.surname)

    @property
    def cpims_id_display(self) -> str:
        return checkdigit.display(self.cpims_id)

    @property
    def year_of_birth(self) -> int | None:
        return self.date_of_birth.year if self.date_of_birth else self.birth_year


class IdentifierVerification(models.TextChoices):
    """Whether the issuing system knows the number (a NEMIS UPI is checked against NEMIS
    when it is reachable; integrations/services_reference.py)."""

    NOT_CHECKED = "", _("not checked")
    UNVERIFIED = "unverified", _("unverified: NEMIS not reachable yet")
    VERIFIED = "verified", _("verified against NEMIS")
    NOT_FOUND = "not_found", _("not found in NEMIS")


class PersonIdentifier(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    identifier_type = models.CharField(_("type"), max_length=4, choices=IdentifierType.choices)
    value = models.CharField(_("number"), max_length=40)
    created_at = models.DateTimeField(default=timezone.now)
    verification = models.CharField(
        max_length=12, choices=IdentifierVerification.choices, blank=True, default=""
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["identifier_type", "value"], name="registry_identifier_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_identifier_type_display()} {self.value}"


class PersonLink(models.Model):
    """That an organisation holds records on a person; never what the records say."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links")
    organisation = models.ForeignKey(
        "tenants.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="registry_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} knows {self.person_id}"


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MERGED = "merged", _("Merged")
    DISMISSED = "dismissed", _("Not the same person")
    SIBLINGS = "siblings", _("Siblings or twins")


class PotentialDuplicate(models.Model):
    """Two persons that look like one, queued for a reviewer (person_a.pk < person_b.pk)."""

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list)
    status = models.CharField(
        max_length=12, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "tenants.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registered_anyway_reason = models.TextField(
        _("why the clerk registered a new person anyway"), blank=True
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        ordering = ["-score", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="registry_dup_pair")
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.score})"


class SiblingKind(models.TextChoices):
    SIBLING = "sibling", _("Siblings")
    TWIN = "twin", _("Twins")


class SiblingSource(models.TextChoices):
    HOUSEHOLD = "household", _("A household record")
    QUEUE = "queue", _("A decision in the duplicates queue")


class SiblingLink(models.Model):
    """Two persons the registry knows to be siblings or twins (person_a.pk < person_b.pk):
    matching never calls them "probably the same" and the queue leaves them out."""

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=SiblingKind.choices)
    source = models.CharField(_("recorded from"), max_length=12, choices=SiblingSource.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "tenants.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="registry_sibling_pair"),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")),
                name="registry_sibling_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} {self.kind} {self.person_b_id}"


class PersonMerge(models.Model):
    """The audit of one merge, with what is needed to undo it."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    moved_link_ids = ArrayField(models.BigIntegerField(), default=list)
    moved_identifier_ids = ArrayField(models.BigIntegerField(), default=list)
    survivor_before = models.JSONField(default=dict)
    reason = models.TextField(blank=True)
    merged_at = models.DateTimeField(default=timezone.now)
    merged_by = models.ForeignKey(
        "tenants.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        "tenants.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_id} -> {self.survivor_id}"


# --- National directories -------------------------------------------------------------------
class Facility(models.Model):
    """A health facility from the Kenya Master Health Facility List (upserted by MFL code)."""

    code = models.CharField(_("MFL code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    facility_type = models.CharField(_("type"), max_length=100, blank=True)
    keph_level = models.CharField(_("KEPH level"), max_length=20, blank=True)
    owner = models.CharField(_("owner"), max_length=150, blank=True)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    sub_county = models.ForeignKey(
        SubCounty, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class SchoolLevel(models.TextChoices):
    PRE_PRIMARY = "pre_primary", _("Pre-primary")
    PRIMARY = "primary", _("Primary")
    JUNIOR = "junior", _("Junior school")
    SECONDARY = "secondary", _("Secondary")
    TVET = "tvet", _("TVET / vocational")
    SPECIAL = "special", _("Special needs")


class School(models.Model):
    """A school from NEMIS (upserted by NEMIS institution code)."""

    code = models.CharField(_("NEMIS code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=SchoolLevel.choices)
    is_public = models.BooleanField(_("public"))
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    sub_county = models.ForeignKey(
        SubCounty, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class DirectoryKind(models.TextChoices):
    # CPIMS org-unit types (GLOSSARY.md section 2)
    DCS_NATIONAL = "TNGN", _("DCS national office")
    DCS_REGION = "TNRG", _("DCS regional office")
    DCS_COUNTY = "TNGP", _("County children's office")
    DCS_SUB_COUNTY = "TNGD", _("Sub-county children's office")
    CHILDRENS_COURT = "TNGC", _("Children's court")
    POLICE_STATION = "TNPS", _("Police station")
    REMAND_HOME = "TNRH", _("Children's remand home")
    RESCUE_CENTRE = "TNRR", _("Rescue centre")
    REHABILITATION_SCHOOL = "TNRS", _("Rehabilitation school")
    RECEPTION_CENTRE = "TNAP", _("Reception / assessment and placement centre")
    BORSTAL = "TNRB", _("Borstal institution")
    CCI = "TNRC", _("Charitable children's institution")
    NGO_INTERNATIONAL = "TNRI", _("International NGO")
    NGO_LOCAL = "TNRL", _("Local NGO")
    CBO = "TNCB", _("Community-based organisation")
    FBO = "TNCF", _("Faith-based organisation")


INSTITUTION_KINDS = frozenset({"TNRH", "TNRR", "TNRS", "TNAP", "TNRB", "TNRC"})


class SexesAdmitted(models.TextChoices):
    BOYS = "boys", _("Boys")
    GIRLS = "girls", _("Girls")
    BOTH = "both", _("Boys and girls")


class DirectoryEntry(models.Model):
    """An organisation in the national directory, whether or not it has a workspace here.
    Referrals and placements name directory entries."""

    code = models.CharField(
        _("directory code"),
        max_length=40,
        unique=True,
        help_text=_("Registration or gazettement number, or the DCS office code."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=4, choices=DirectoryKind.choices)
    registration_number = models.CharField(_("registration number"), max_length=64, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    min_age = models.PositiveSmallIntegerField(_("youngest age admitted"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("oldest age admitted"), null=True, blank=True)
    sexes_admitted = models.CharField(
        _("sex admitted"), max_length=8, choices=SexesAdmitted.choices, blank=True
    )
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    sub_county = models.ForeignKey(
        SubCounty, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    physical_address = models.CharField(_("physical address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    organisation = models.OneToOneField(
        "tenants.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_entry",
        verbose_name=_("workspace on this platform"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("directory entries")

    def __str__(self) -> str:
        return self.name


# --- Registry look-ups (rate limit, shared by every process) ---------------------------------
class RegistryLookupCount(models.Model):
    """How many registry look-ups one member made in one window (a minute or a day)."""

    key = models.CharField(max_length=80)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="registry_lookup_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class NameFrequency(models.Model):
    """How many registered persons (not merged away) carry a name key or a pair of name
    keys (``names.name_keys``): a name shared by many persons is weaker evidence that two
    records are one person. Kept by the registration, correction and merge services
    (``shared_registry/frequencies.py``); ``manage.py registry_name_frequencies`` recounts."""

    key = models.CharField(max_length=170, primary_key=True)
    persons = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.persons}"


# Models of the registry's subjects in their own modules; importing them registers them.
from shared_registry import models_residence  # noqa: E402, F401
