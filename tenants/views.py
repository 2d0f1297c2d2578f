"""DCS headquarters console: organisations on the platform, their codes, licences and
gazettements; and an organisation's own page of its codes on its workspace, with its
setting for forms typed in the web app (approval required or not)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cpims.form_errors import apply_errors
from tenants.actor import actor_from_request
from tenants.decorators import platform_permission_required
from tenants.expiry import expiries
from tenants.forms import ApprovalSettingForm, ConsoleOrganisationForm
from tenants.models import Organisation, OrganisationKind, OrganisationStatus
from tenants.organisation_codes import TypeCode
from tenants.policy import Permission, may
from tenants.selectors import organisation_list
from tenants.services import organisation_approval_setting_set, organisation_codes_set


@platform_permission_required(Permission.USE_CONSOLE)
def console_organisations(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    if status not in OrganisationStatus.values:
        status = ""
    type_code = request.GET.get("type_code", "")
    if type_code not in TypeCode.values:
        type_code = ""
    page = Paginator(
        organisation_list(search=search, status=status, type_code=type_code), 25
    ).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "search": search,
        "status": status,
        "statuses": OrganisationStatus.choices,
        "type_code": type_code,
        "type_codes": [(c, f"{c} {TypeCode(c).label}") for c in TypeCode.values],
    }
    template = "tenants/_organisation_rows.html" if request.htmx else "tenants/console.html"
    return render(request, template, context)


@platform_permission_required(Permission.USE_CONSOLE)
def console_organisation(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's codes, registration, licence, gazettement, parent and children; a
    national administrator edits them (audited)."""
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), pk=pk)
    may_edit = may(request.user, Permission.VERIFY_ORGANISATIONS)
    form = ConsoleOrganisationForm(
        request.POST if request.method == "POST" else None, organisation=organisation
    )
    if request.method == "POST":
        if not may_edit:
            return render(request, "errors/forbidden.html", status=403)
        if form.is_valid():
            try:
                organisation_codes_set(
                    actor=actor_from_request(request),
                    organisation_id=organisation.pk,
                    **form.codes(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request, _("%(org)s's codes were saved.") % {"org": organisation.name}
                )
                return redirect("console:organisation", pk=organisation.pk)
    context = {
        "organisation": organisation,
        "form": form,
        "may_edit": may_edit,
        "children": organisation.children.order_by("name"),
        "expiries": expiries(organisation=organisation),
        "is_cci": organisation.kind == OrganisationKind.CCI,
    }
    return render(request, "tenants/console_organisation.html", context)


@platform_permission_required(Permission.USE_CONSOLE)
def console_expiring(request: HttpRequest) -> HttpResponse:
    """CCI licences and gazettements expiring within 60 days or expired."""
    search = request.GET.get("q", "").strip()[:100]
    context = {"expiries": expiries(search=search), "search": search}
    template = "tenants/_expiring_rows.html" if request.htmx else "tenants/console_expiring.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def organisation_own(request: HttpRequest) -> HttpResponse:
    """On the workspace: the organisation's own codes, licence and parent (set by DCS), and
    whether web forms typed by staff wait for approval (an administrator sets it by POST)."""
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        raise Http404
    if not may(
        request.user,
        Permission.ENTER_WORKSPACE,
        organisation=organisation,
        membership=request.membership,
    ):
        return render(request, "errors/forbidden.html", status=403)
    may_set = may(
        request.user,
        Permission.MANAGE_MEMBERS,
        organisation=organisation,
        membership=request.membership,
    )
    if request.method == "POST":
        if not may_set:
            return render(request, "errors/forbidden.html", status=403)
        form = ApprovalSettingForm(request.POST)
        form.is_valid()  # a checkbox: absent means off, nothing else to refuse
        required = bool(form.cleaned_data.get("required"))
        organisation_approval_setting_set(actor=actor_from_request(request), required=required)
        messages.success(
            request,
            _("Forms typed in the web app now wait for a supervisor's approval.")
            if required
            else _("Forms typed in the web app now count at once."),
        )
        return redirect("organisation:detail")
    organisation = Organisation.objects.select_related("parent").get(pk=organisation.pk)
    context = {
        "organisation": organisation,
        "expiries": expiries(organisation=organisation),
        "is_cci": organisation.kind == OrganisationKind.CCI,
        "may_set_approval": may_set,
        "approval_form": ApprovalSettingForm(
            initial={"required": organisation.staff_forms_need_approval}
        ),
    }
    return render(request, "tenants/organisation_own.html", context)
