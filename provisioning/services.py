"""Onboarding: applying, verification, provisioning, and life after onboarding."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpims.locks import held_lock
from provisioning import blueprint, pool
from provisioning.models import DocumentKind, OrganisationDocument
from tenants.actor import Actor, NotFound
from tenants.models import (
    Domain,
    Membership,
    Organisation,
    OrganisationStatus,
    Role,
    User,
)
from tenants.policy import Permission
from tenants.services import membership_grant, organisation_create, user_create

S = OrganisationStatus


class ProvisioningError(Exception):
    """The organisation is not in a state that can be provisioned."""


class ProvisioningFailed(ProvisioningError):
    """A step failed; the organisation is ``failed`` with the error kept, nothing half-made."""


# --- Applying --------------------------------------------------------------------------------
CERTIFICATE_TYPES = {"application/pdf": b"%PDF", "image/png": b"\x89PNG", "image/jpeg": b"\xff\xd8"}
CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024


def certificate_check(file: UploadedFile) -> str:
    """The content type of an acceptable certificate (PDF, PNG or JPEG up to 5 MB), judged by
    its first bytes, not by what the browser claimed."""
    if file.size > CERTIFICATE_MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."), code="too_large")
    if file.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    head = file.read(8)
    file.seek(0)
    for content_type, magic in CERTIFICATE_TYPES.items():
        if head.startswith(magic):
            return content_type
    raise ValidationError(_("Upload a PDF, PNG or JPEG file."), code="bad_type")


def _email_taken() -> str:
    return _("An account with this email address exists: sign in first, then apply.")


@dataclass(frozen=True)
class Applicant:
    email: str
    password: str
    full_name: str
    phone: str = ""


@transaction.atomic
def organisation_apply(
    *,
    name: str,
    slug: str,
    kind: str,
    county_code: str = "",
    sub_county_code: str = "",
    registration_number: str = "",
    physical_address: str = "",
    contact_person: str = "",
    contact_phone: str = "",
    applicant: Applicant | None = None,
    applicant_user: User | None = None,
    certificate: UploadedFile | None = None,
    codes: dict | None = None,
) -> Organisation:
    """Record an organisation's application (``pending``) with its first administrator.
    ``codes``: its type code, registration, licence and parent (tenants.services.CODE_FIELDS).

    Either ``applicant`` (a new account, email unverified) or ``applicant_user`` (the
    signed-in user). Raises ValidationError keyed by field; nothing is kept then. A slug or
    email taken by a concurrent sign-up surfaces as the same field error.
    """
    if applicant_user is None:
        if applicant is None:
            raise ValueError("an applicant is required")
        email = applicant.email.strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError({"email": _email_taken()})
        try:
            with transaction.atomic():
                applicant_user = user_create(
                    email=email, password=applicant.password, full_name=applicant.full_name
                )
        except IntegrityError as exc:
            raise ValidationError({"email": _email_taken()}) from exc
        if applicant.phone:
            applicant_user.phone = applicant.phone
            applicant_user.save(update_fields=["phone"])
    if Organisation.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("This workspace address is taken.")})
    try:
        with transaction.atomic():
            organisation = organisation_create(
                name=name,
                slug=slug,
                kind=kind,
                county_code=county_code,
                sub_county_code=sub_county_code,
                registration_number=registration_number,
                **(codes or {}),
            )
    except IntegrityError as exc:
        raise ValidationError({"slug": _("This workspace address is taken.")}) from exc
    except ValidationError as exc:
        # A concurrent sign-up committed first: model validation sees its slug or schema.
        fields = set(getattr(exc, "error_dict", {}))
        if fields & {"slug", "schema_name"} or "schema name" in str(exc):
            raise ValidationError({"slug": _("This workspace address is taken.")}) from exc
        raise
    organisation.physical_address = physical_address
    organisation.contact_person = contact_person
    organisation.contact_phone = contact_phone
    organisation.applicant = applicant_user
    organisation.save()
    if certificate is not None:
        content_type = certificate_check(certificate)
        OrganisationDocument.objects.create(
            organisation=organisation,
            kind=DocumentKind.REGISTRATION_CERTIFICATE,
            file=certificate,
            original_name=certificate.name[:255],
            content_type=content_type,
            size=certificate.size,
        )
    return organisation


# --- Verification ----------------------------------------------------------------------------
def _application_get(organisation_id: int) -> Organisation:
    """The organisation, locked for the decision; a missing one is not found."""
    organisation = Organisation.objects.select_for_update().filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound("No such organisation")
    return organisation


@transaction.atomic
def organisation_approve(*, actor: Actor, organisation_id: int) -> Organisation:
    """Verify a pending organisation (national administrators); provisioning follows (queued
    by the caller)."""
    actor.require(Permission.VERIFY_ORGANISATIONS)
    organisation = _application_get(organisation_id)
    if organisation.status != S.PENDING:
        raise ProvisioningError(_("Only a pending organisation can be approved."))
    organisation.status = S.VERIFIED
    organisation.decided_at = timezone.now()
    organisation.decided_by = actor.user
    organisation.save()
    return organisation


@transaction.atomic
def organisation_reject(*, actor: Actor, organisation_id: int, reason: str) -> Organisation:
    """Reject a pending organisation with the reason the applicant is told (national
    administrators)."""
    actor.require(Permission.VERIFY_ORGANISATIONS)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the applicant a reason.")})
    organisation = _application_get(organisation_id)
    if organisation.status != S.PENDING:
        raise ProvisioningError(_("Only a pending organisation can be rejected."))
    organisation.status = S.REJECTED
    organisation.rejection_reason = reason
    organisation.decided_at = timezone.now()
    organisation.decided_by = actor.user
    organisation.save()
    return organisation


# --- Provisioning: a small state machine of explicit, individually committed steps -----------
StepHook = Callable[[str], None]
PROVISIONABLE = {S.PENDING, S.VERIFIED, S.PROVISIONING, S.FAILED}
_LOCK_NAMESPACE = 0x0C91 << 40


def _provisioning_lock(organisation_id: int) -> AbstractContextManager[bool]:
    """One run per organisation: an advisory lock held in a transaction of its own
    (cpims.locks), so it holds through a transaction pooler and goes if the worker dies."""
    return held_lock(_LOCK_NAMESPACE | organisation_id)


def _step_schema(organisation: Organisation) -> None:
    if blueprint.schema_exists(organisation.schema_name):
        blueprint.schema_drop(organisation.schema_name)  # left by an interrupted run of ours
    if pool.pool_take(organisation.schema_name):  # a schema built ahead of time (pool.py)
        return
    script = blueprint.blueprint_get()
    if script is not None:
        blueprint.schema_build_from_blueprint(organisation.schema_name, script)
        return
    with blueprint.recording() as statements:
        organisation.create_schema(check_if_exists=False, verbosity=0)
    blueprint.blueprint_store(statements)


def _step_domain(organisation: Organisation) -> None:
    Domain.objects.get_or_create(
        domain=f"{organisation.slug}.{settings.BASE_DOMAIN}",
        defaults={"tenant": organisation, "is_primary": True},
    )


def _step_administrator(organisation: Organisation) -> None:
    if organisation.applicant_id is not None:
        membership_grant(
            user=organisation.applicant,
            organisation=organisation,
            roles=[Role.ORGANISATION_ADMIN],
        )


def _step_activate(organisation: Organisation) -> None:
    organisation.status = S.ACTIVE
    organisation.save(update_fields=["status", "updated_at"])


PROVISIONING_STEPS: dict[str, Callable[[Organisation], None]] = {
    "schema": _step_schema,
    "domain": _step_domain,
    "administrator": _step_administrator,
    "activate": _step_activate,
}
STEP_LABELS = {
    "schema": _("Creating the workspace database"),
    "domain": _("Reserving the workspace address"),
    "administrator": _("Making the first administrator"),
    "activate": _("Opening the workspace"),
}


def _undo(organisation: Organisation) -> None:
    """Remove whatever the committed steps made: the schema, domains and memberships."""
    with transaction.atomic():
        blueprint.schema_drop(organisation.schema_name)
        Domain.objects.filter(tenant=organisation).delete()
        Membership.objects.filter(organisation=organisation).delete()


def organisation_provision(
    *, organisation: Organisation, hook: StepHook | None = None
) -> Organisation:
    """Give an organisation its schema, domain and first administrator, and make it active.

    Steps commit one by one (the applicant watches them), each atomic; ``hook(step)`` runs
    inside each step after its work (tests inject failures there). On any failure the steps
    already made are undone and the organisation is ``failed`` with the error; a retry starts
    again. Idempotent: an active organisation is returned unchanged, and a concurrent run
    (advisory lock held) returns without doing anything.
    """
    with _provisioning_lock(organisation.pk) as acquired:
        organisation = Organisation.objects.get(pk=organisation.pk)
        if not acquired or organisation.status == S.ACTIVE:
            return organisation
        if organisation.status not in PROVISIONABLE:
            raise ProvisioningError(
                f"{organisation.name} is {organisation.get_status_display().lower()}, "
                "not waiting for a workspace"
            )
        if organisation.status != S.PROVISIONING:
            organisation.provisioning_steps = []
        organisation.status = S.PROVISIONING
        organisation.provisioning_error = ""
        organisation.save(update_fields=["status", "provisioning_steps", "provisioning_error"])
        current = ""
        try:
            for current, step in PROVISIONING_STEPS.items():
                if current in organisation.provisioning_steps:
                    continue
                with transaction.atomic():
                    step(organisation)
                    if hook is not None:
                        hook(current)
                    organisation.provisioning_steps = [*organisation.provisioning_steps, current]
                    organisation.save(update_fields=["provisioning_steps", "updated_at"])
        except Exception as exc:
            _undo(organisation)
            organisation.status = S.FAILED
            organisation.provisioning_steps = []
            organisation.provisioning_error = f"{current}: {exc}"[:2000]
            organisation.save(
                update_fields=["status", "provisioning_steps", "provisioning_error", "updated_at"]
            )
            raise ProvisioningFailed(organisation.provisioning_error) from exc
    return organisation
