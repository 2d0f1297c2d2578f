"""Onboarding pages on the platform site: sign-up, the applicant's status page, the console."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from provisioning import emails, lifecycle, pool
from provisioning.forms import OrganisationSignupForm, RejectForm, slug_problem
from provisioning.kept_certificates import (
    certificate_discard,
    certificate_keep,
    certificate_kept,
    certificate_kept_name,
)
from provisioning.models import OrganisationDocument
from provisioning.services import (
    STEP_LABELS,
    Applicant,
    ProvisioningError,
    organisation_apply,
    organisation_approve,
    organisation_reject,
)
from provisioning.tasks import provision_organisation
from tenants.actor import actor_from_request
from tenants.decorators import platform_permission_required
from tenants.models import Organisation, OrganisationStatus
from tenants.policy import Permission
from tenants.routing import workspace_url
from tenants.selectors import organisation_list

SESSION_APPLICATIONS = "cpims_applications"
S = OrganisationStatus


def _platform_only(request: HttpRequest) -> None:
    if getattr(request, "organisation", None) is not None:
        raise Http404


# --- Sign-up ---------------------------------------------------------------------------------
def signup(request: HttpRequest) -> HttpResponse:
    _platform_only(request)
    signed_in = request.user.is_authenticated
    if request.method == "GET":
        certificate_discard(request.session)  # a fresh form starts with no file
    form = OrganisationSignupForm(
        request.POST or None,
        request.FILES or None,
        signed_in=signed_in,
        kept_certificate=certificate_kept_name(request.session),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data["certificate"] = data["certificate"] or certificate_kept(request.session)
        request.cpims_organisation_signup = True  # opens allauth sign-up for this request
        try:
            organisation = organisation_apply(
                name=data["name"],
                slug=data["slug"],
                kind=data["kind"],
                county_code=data["county_code"],
                sub_county_code=data["sub_county_code"],
                registration_number=data["registration_number"],
                physical_address=data["physical_address"],
                contact_person=data["contact_person"],
                contact_phone=data["contact_phone"],
                certificate=data["certificate"],
                codes=form.codes(),
                applicant=None
                if signed_in
                else Applicant(
                    email=data["email"],
                    password=data["password1"],
                    full_name=data["full_name"],
                    phone=data["contact_phone"],
                ),
                applicant_user=request.user if signed_in else None,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                field = form.ERROR_FIELDS.get(field, field)
                form.add_error(field if field in form.fields else None, errors)
        else:
            certificate_discard(request.session)
            applications = request.session.get(SESSION_APPLICATIONS, [])
            request.session[SESSION_APPLICATIONS] = [*applications, organisation.pk][-10:]
            address = EmailAddress.objects.filter(user=organisation.applicant).first()
            if address is not None and not address.verified:
                address.send_confirmation(request, signup=True)
            return redirect("onboarding:status", pk=organisation.pk)
    if request.method == "POST" and form.errors:
        certificate = (form.cleaned_data or {}).get("certificate")
        if certificate:  # accepted: not asked for again
            form.show_kept_certificate(certificate_keep(request.session, certificate))
    return render(request, "provisioning/signup.html", {"form": form})


def my_applications(request: HttpRequest) -> HttpResponse:
    """The signed-in user's applications (after confirming the email and signing in)."""
    _platform_only(request)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    applications = Organisation.objects.filter(applicant=request.user).order_by("-created_at")
    return render(request, "provisioning/mine.html", {"applications": applications})


@require_GET
def check_slug(request: HttpRequest) -> HttpResponse:
    """htmx: is this workspace address usable? (checked again on submit)."""
    _platform_only(request)
    slug = request.GET.get("slug", "").strip()[:60]
    problem = slug_problem(slug) if slug else None
    return render(request, "provisioning/_slug_check.html", {"slug": slug, "problem": problem})


def _application(request: HttpRequest, pk: int) -> Organisation:
    """The applicant's own application (by their session or account), else 404."""
    _platform_only(request)
    organisation = get_object_or_404(Organisation.objects.select_related("applicant"), pk=pk)
    mine = pk in request.session.get(SESSION_APPLICATIONS, []) or (
        request.user.is_authenticated and organisation.applicant_id == request.user.pk
    )
    if not mine:
        raise Http404
    return organisation


def _status_context(request: HttpRequest, organisation: Organisation) -> dict:
    done = set(organisation.provisioning_steps)
    steps = [
        {"name": name, "label": label, "done": name in done} for name, label in STEP_LABELS.items()
    ]
    verified = EmailAddress.objects.filter(user=organisation.applicant, verified=True).exists()
    return {
        "application": organisation,
        "steps": steps,
        "email_verified": verified,
        "polling": organisation.status in {S.VERIFIED, S.PROVISIONING},
        "workspace_url": workspace_url(organisation, request.get_port())
        if organisation.status == S.ACTIVE
        else "",
    }


def application_status(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _application(request, pk)
    return render(request, "provisioning/status.html", _status_context(request, organisation))


def application_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx polling target: the progress panel (stops polling once settled)."""
    organisation = _application(request, pk)
    return render(request, "provisioning/_progress.html", _status_context(request, organisation))


@require_POST
def application_retry(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _application(request, pk)
    if organisation.status == S.FAILED:
        _queue_provisioning(organisation)
    return redirect("onboarding:status", pk=pk)


def _queue_provisioning(organisation: Organisation) -> None:
    transaction.on_commit(lambda: provision_organisation.delay(organisation.pk))


def _status_url(request: HttpRequest, organisation: Organisation) -> str:
    return request.build_absolute_uri(reverse("onboarding:status", args=[organisation.pk]))


# --- Console: verification and life after onboarding ----------------------------------------
@platform_permission_required(Permission.VERIFY_ORGANISATIONS)
def console_applications(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", S.PENDING)
    if status not in S.values:
        status = ""
    page = Paginator(organisation_list(search=search, status=status), 25).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "search": search, "status": status, "statuses": S.choices}
    if request.htmx:
        return render(request, "provisioning/console/_rows.html", context)
    context |= {"pool_ready": pool.pool_ready(), "pool_size": pool.pool_size()}
    return render(request, "provisioning/console/list.html", context)


@platform_permission_required(Permission.VERIFY_ORGANISATIONS)
def console_application(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("applicant"), pk=pk)
    context = _status_context(request, organisation)
    context.update(
        {
            "documents": OrganisationDocument.objects.filter(organisation=organisation),
            "reject_form": RejectForm(),
            "exports": lifecycle.exports_of(organisation=organisation),
        }
    )
    return render(request, "provisioning/console/detail.html", context)


@platform_permission_required(Permission.VERIFY_ORGANISATIONS)
def console_document(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    document = get_object_or_404(OrganisationDocument, pk=document_pk, organisation_id=pk)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


@require_POST
@platform_permission_required(Permission.VERIFY_ORGANISATIONS)
def console_approve(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        organisation = organisation_approve(actor=actor_from_request(request), organisation_id=pk)
    except ProvisioningError as exc:
        messages.error(request, str(exc))
    else:
        emails.application_decided(
            organisation=organisation, status_url=_status_url(request, organisation)
        )
        messages.success(
            request,
            _("%(org)s approved: its workspace is being set up.") % {"org": organisation.name},
        )
        _queue_provisioning(organisation)
    return redirect("onboarding_console:application", pk=pk)


@require_POST
@platform_permission_required(Permission.VERIFY_ORGANISATIONS)
def console_reject(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the applicant a reason."))
        return redirect("onboarding_console:application", pk=pk)
    try:
        organisation = organisation_reject(
            actor=actor_from_request(request),
            organisation_id=organisation.pk,
            reason=form.cleaned_data["reason"],
        )
    except (ProvisioningError, ValidationError) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
    else:
        emails.application_decided(
            organisation=organisation, status_url=_status_url(request, organisation)
        )
        messages.success(
            request,
            _("%(org)s's application rejected: the applicant has been told why.")
            % {"org": organisation.name},
        )
    return redirect("onboarding_console:application", pk=pk)


@require_POST
@platform_permission_required(Permission.VERIFY_ORGANISATIONS)
def console_retry(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    # FAILED: start again. VERIFIED / PROVISIONING: the queued run never ran, or its worker
    # died (a live run holds the organisation's lock, so the queued one then does nothing).
    if organisation.status in {S.VERIFIED, S.FAILED, S.PROVISIONING}:
        _queue_provisioning(organisation)
        messages.success(
            request,
            _("Setting up %(org)s's workspace started again.") % {"org": organisation.name},
        )
    return redirect("onboarding_console:application", pk=pk)


@require_POST
@platform_permission_required(Permission.VERIFY_ORGANISATIONS)
def console_lifecycle(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Suspend, reactivate, archive (export first) or delete (archived, confirmed)."""
    organisation = get_object_or_404(Organisation, pk=pk)
    try:
        if action == "suspend":
            lifecycle.organisation_suspend(
                actor=actor_from_request(request), organisation=organisation
            )
        elif action == "reactivate":
            lifecycle.organisation_reactivate(
                actor=actor_from_request(request), organisation=organisation
            )
        elif action == "archive":
            lifecycle.organisation_archive(
                actor=actor_from_request(request), organisation=organisation
            )
        elif action == "delete":
            lifecycle.organisation_delete(
                actor=actor_from_request(request),
                organisation=organisation,
                confirmation=request.POST.get("confirm_slug", ""),
            )
            messages.success(
                request,
                _("%(org)s and its workspace were deleted.") % {"org": organisation.name},
            )
            return redirect("onboarding_console:applications")
        else:
            raise Http404
    except lifecycle.LifecycleError as exc:
        messages.error(request, str(exc))
    else:
        done = {
            "suspend": _(
                "%(org)s suspended: its workspace is closed to its members until reactivated."
            ),
            "reactivate": _("%(org)s reactivated: its members may open its workspace again."),
            "archive": _("%(org)s archived: its data was exported first."),
        }[action]
        messages.success(request, done % {"org": organisation.name})
    return redirect("onboarding_console:application", pk=pk)


@platform_permission_required(Permission.VERIFY_ORGANISATIONS)
def console_export(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    path = lifecycle.export_path(organisation=organisation, name=name)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
