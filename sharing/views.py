"""Screens of governed sharing: organisation admins' agreements (workspace), the shared child
summary read through the gateway (workspace), and the DCS headquarters console."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.access_kinds import access_rows
from shared_registry import checkdigit
from shared_registry.models import Person
from shared_registry.places import county_options
from sharing import gateway, selectors, services
from sharing.forms import ERROR_FIELDS, AgreementRequestForm, ReasonForm, ServicesForm
from sharing.models import AgreementStatus, PersonsMode
from sharing.registry import field_display, field_label, record_kind_get, record_kinds
from sharing.selectors_for_actor import agreement_for
from sharing.services_access_drafts import access_draft_discard
from tenants.actor import actor_from_request
from tenants.decorators import platform_permission_required, workspace_permission_required
from tenants.policy import Permission

PAGE_SIZE = 50


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value: str) -> int | None:
    return int(value) if (value or "").isdigit() else None


def scope_rows(agreement) -> list[dict]:
    """The scope in plain words: each record kind with its fields' labels."""
    rows = []
    for kind, fields in agreement.scope.items():
        record_kind = record_kind_get(kind)
        rows.append(
            {
                "kind": record_kind.label if record_kind else kind,
                "fields": [field_label(kind, f) for f in fields],
            }
        )
    return rows


def _detail_context(agreement) -> dict:
    return {
        "agreement": agreement,
        "scope": scope_rows(agreement),
        "events": agreement.events.select_related("actor").all(),
        "persons": selectors.persons_named(agreement)
        if agreement.persons_mode == PersonsMode.NAMED
        else [],
        "reason_form": ReasonForm(),
    }


def _day(value: str | None) -> datetime.date | None:
    """A Y-m-d filter value, or None when blank or not a date."""
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


# --- workspace: the organisation's agreements --------------------------------------------------
@workspace_permission_required(Permission.MANAGE_SHARING)
def agreements(request: HttpRequest) -> HttpResponse:
    filters = {
        "search": request.GET.get("q", "").strip()[:100],
        "status": request.GET.get("status", ""),
        "direction": request.GET.get("direction", ""),
        "period_from": _day(request.GET.get("period_from")),
        "period_to": _day(request.GET.get("period_to")),
    }
    rows = selectors.agreements_of_organisation(organisation=request.organisation, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "statuses": AgreementStatus.choices,
        "incoming_waiting": selectors.agreements_of_organisation(
            organisation=request.organisation,
            direction="incoming",
            status=AgreementStatus.SUBMITTED,
        ).count(),
    }
    template = "sharing/_agreement_rows.html" if request.htmx else "sharing/agreements.html"
    return render(request, template, context)


@workspace_permission_required(Permission.MANAGE_SHARING)
def agreement_new(request: HttpRequest) -> HttpResponse:
    # The ID from the registry's "request access" link fills the form in; it is not looked
    # up here (an unknown ID reads like a known one, and the providers are not narrowed).
    typed = checkdigit.normalise(request.GET.get("person", ""))[:32]
    cpims_id = typed if checkdigit.is_valid(typed) else ""
    providers = selectors.providers_for(requester=request.organisation)
    if request.method == "POST":
        form = AgreementRequestForm(request.POST, providers=providers)
        if form.is_valid():
            data = form.cleaned_data
            try:
                agreement = services.agreement_request(
                    requester=request.organisation,
                    provider=data["provider"],
                    actor=actor_from_request(request),
                    scope=form.scope(),
                    persons_mode=data["persons_mode"],
                    person_ids=[p.pk for p in data["persons"]],
                    purpose=data["purpose"],
                    legal_basis=data["legal_basis"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    consent_based=data["consent_based"],
                )
            except ValidationError as error:
                for key, problems in error.message_dict.items():
                    name = ERROR_FIELDS.get(key, key)
                    for problem in problems:
                        form.add_error(name if name in form.fields else None, problem)
            else:
                messages.success(
                    request, _("Request sent to %(org)s.") % {"org": agreement.provider.name}
                )
                return redirect("sharing:agreement", agreement_id=agreement.pk)
    else:
        initial = {"persons_mode": PersonsMode.NAMED}
        if cpims_id:
            initial["persons"] = cpims_id
        form = AgreementRequestForm(initial=initial, providers=providers)
    return render(
        request,
        "sharing/agreement_new.html",
        {"form": form, "cpims_id_display": checkdigit.display(cpims_id) if cpims_id else ""},
    )


@workspace_permission_required(Permission.MANAGE_SHARING)
def agreement_detail(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = agreement_for(actor_from_request(request), agreement_id)
    context = _detail_context(agreement)
    context["side"] = (
        "requester" if agreement.requester_id == request.organisation.pk else "provider"
    )
    return render(request, "sharing/agreement.html", context)


ACTIONS = {
    "submit": lambda a, u, r: services.agreement_submit(agreement=a, actor=u),
    "accept": lambda a, u, r: services.agreement_accept(agreement=a, actor=u, reason=r),
    "decline": lambda a, u, r: services.agreement_decline(agreement=a, actor=u, reason=r),
    "revoke": lambda a, u, r: services.agreement_revoke(agreement=a, actor=u, reason=r),
    # a draft of a member's access request, never sent (sharing/services_access_drafts.py)
    "discard": lambda a, u, r: access_draft_discard(agreement=a, actor=u, reason=r),
}
CONSOLE_ACTIONS = {
    "approve": lambda a, u, r: services.agreement_approve(agreement=a, actor=u, reason=r),
    "reject": lambda a, u, r: services.agreement_reject(agreement=a, actor=u, reason=r),
    "revoke": ACTIONS["revoke"],
}


def _act(request: HttpRequest, agreement, action, actions, context_extra, template):
    if action not in actions:
        raise Http404
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "").strip()[:2000]
    before = agreement.status
    try:
        actions[action](agreement, actor_from_request(request), reason)
    except PermissionDenied:
        return render(request, "errors/forbidden.html", status=403)
    except ValidationError as error:
        context = _detail_context(agreement)
        context.update(context_extra)
        context["reason_form"] = form
        context["action_error"] = " ".join(
            m for ms in getattr(error, "message_dict", {"": error.messages}).values() for m in ms
        )
        return render(request, template, context, status=400)
    agreement.refresh_from_db()
    messages.success(request, done_message(action, agreement, before))
    return None


def done_message(action: str, agreement, before: str) -> str:
    """What an action on an agreement did, in words (who may now read what, until when)."""
    values = {
        "n": agreement.pk,
        "requester": agreement.requester.name,
        "provider": agreement.provider.name,
        "kinds": ", ".join(
            str(record_kind_get(kind).label) if record_kind_get(kind) else kind
            for kind in agreement.scope
        ),
        "until": date_format(agreement.end_date, "j M Y"),
    }
    if action == "approve":
        return (
            _(
                "Agreement %(n)s approved: %(requester)s may read %(provider)s's %(kinds)s "
                "until %(until)s."
            )
            % values
        )
    if action == "reject":
        return _("Agreement %(n)s rejected: nothing is shared under it.") % values
    if action == "submit":
        return _("Request %(n)s sent to %(provider)s.") % values
    if action == "accept":
        return _("Request %(n)s accepted: it now waits for approval by DCS headquarters.") % values
    if action == "decline":
        return _("Request %(n)s declined: %(requester)s sees your reason.") % values
    if action == "discard":
        return _("Draft %(n)s discarded: it was not sent; its author sees your reason.") % values
    if before in (AgreementStatus.APPROVED, AgreementStatus.ACTIVE):
        return (
            _("Agreement %(n)s revoked: %(requester)s can no longer read %(provider)s's %(kinds)s.")
            % values
        )
    return _("Request %(n)s withdrawn: nothing is shared under it.") % values


@require_POST
@workspace_permission_required(Permission.MANAGE_SHARING)
def agreement_action(request: HttpRequest, agreement_id: int, action: str) -> HttpResponse:
    agreement = agreement_for(actor_from_request(request), agreement_id)
    side = "requester" if agreement.requester_id == request.organisation.pk else "provider"
    response = _act(request, agreement, action, ACTIONS, {"side": side}, "sharing/agreement.html")
    return response or redirect("sharing:agreement", agreement_id=agreement.pk)


# --- workspace: a child's records shared with this organisation ---------------------------------
@workspace_permission_required(Permission.VIEW_CASES)
def shared_child(request: HttpRequest, person_id: int) -> HttpResponse:
    """Only a child an agreement in force covers: any other id answers "not found" (never the
    name), so the page cannot be read by counting ids. Each look-up counts towards the
    member's registry limit; each read is logged by the gateway."""
    from shared_registry.access import lookup_allowed

    if not lookup_allowed(request):
        return render(request, "shared_registry/too_many_lookups.html", status=429)
    person = Person.objects.filter(pk=person_id, merged_into__isnull=True).first()
    if person is None:
        raise Http404
    sections = []
    for kind in record_kinds():
        for shared in gateway.shared_summary(
            actor=actor_from_request(request),
            person=person,
            record_kind=kind.name,
            request=request,
        ):
            sections.append(
                {
                    "kind": kind,
                    "shared": shared,
                    "columns": [(f, kind.fields.get(f, f)) for f in shared.fields],
                    "rows": [
                        [field_display(kind.name, f, row.get(f)) for f in shared.fields]
                        for row in shared.rows
                    ],
                }
            )
    if not sections:
        raise Http404
    return render(request, "sharing/shared_child.html", {"person": person, "sections": sections})


# --- workspace: the services the organisation receives referrals for ---------------------------
@workspace_permission_required(Permission.MANAGE_SHARING)
def services_offered(request: HttpRequest) -> HttpResponse:
    from sharing.services_referrals import organisation_services_set

    initial = {"services": selectors.services_of(request.organisation)}
    form = ServicesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_services_set(
                organisation=request.organisation,
                actor=actor_from_request(request),
                services=form.cleaned_data["services"],
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            chosen = dict(form.fields["services"].choices)
            names = ", ".join(str(chosen[s]) for s in form.cleaned_data["services"])
            messages.success(
                request,
                _("Services saved (%(names)s): others find you by them.") % {"names": names}
                if names
                else _("Services cleared: others no longer find you by a service."),
            )
            return redirect("sharing:services")
    return render(request, "sharing/services.html", {"form": form})


# --- console: DCS headquarters -------------------------------------------------------------------
@platform_permission_required(Permission.APPROVE_SHARING)
def console_queue(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    rows = [
        (agreement, scope_rows(agreement))
        for agreement in selectors.approval_queue(search=search)[:200]
    ]
    return render(request, "sharing/console_queue.html", {"rows": rows, "search": search})


@platform_permission_required(Permission.APPROVE_SHARING)
def console_agreements(request: HttpRequest) -> HttpResponse:
    filters = {
        "search": request.GET.get("q", "").strip()[:100],
        "status": request.GET.get("status", "in_force"),
        "organisation_id": _int(request.GET.get("organisation", "")),
        "county_code": request.GET.get("county", "").strip()[:3],
        "expires_before": _date(request.GET.get("expires_before", "")),
    }
    page = Paginator(selectors.agreements_all(**filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "filters": filters,
        "statuses": AgreementStatus.choices,
        "organisations": selectors.organisations_for_filter(),
        "counties": county_options(),
    }
    template = "sharing/_console_rows.html" if request.htmx else "sharing/console_agreements.html"
    return render(request, template, context)


@platform_permission_required(Permission.APPROVE_SHARING)
def console_agreement(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = agreement_for(actor_from_request(request), agreement_id)
    if request.method == "POST":
        response = _act(
            request,
            agreement,
            request.POST.get("action", ""),
            CONSOLE_ACTIONS,
            {"console": True},
            "sharing/agreement.html",
        )
        return response or redirect("sharing_console:agreement", agreement_id=agreement.pk)
    context = _detail_context(agreement)
    context["console"] = True
    return render(request, "sharing/agreement.html", context)


@platform_permission_required(Permission.APPROVE_SHARING)
def console_access(request: HttpRequest) -> HttpResponse:
    filters = {
        "search": request.GET.get("q", "").strip()[:100],
        "agreement_id": _int(request.GET.get("agreement", "").lstrip("#")),
        "since": _date(request.GET.get("since", "")),
        "until": _date(request.GET.get("until", "")),
    }
    page = Paginator(selectors.sharing_access_entries(**filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = access_rows(page.object_list, scope="platform")
    return render(
        request, "sharing/console_access.html", {"page": page, "rows": rows, "filters": filters}
    )
