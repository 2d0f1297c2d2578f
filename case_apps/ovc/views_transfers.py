"""Screens of OVC transfers between partners: the list (to us, from us), a transfer's page,
accepting (enrolling the child here), declining and withdrawing; the home page's line."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from case_apps.ovc import selectors_transfers, services_transfers
from case_apps.ovc.forms_transfers import (
    NEW_HOUSEHOLD,
    TransferAcceptForm,
    TransferFilterForm,
    TransferReasonForm,
)
from case_apps.ovc.views_common import actor, form_view, labels, ovc_permission, runs_ovc
from cpims.form_errors import apply_errors
from tenants.capabilities import Waiting, waiting_count
from tenants.policy import Permission


@ovc_permission(Permission.VIEW_CASES)
def transfer_list(request: HttpRequest) -> HttpResponse:
    """Transfers to the organisation (``?direction=in``) or from the officer's caseload
    (``out``), searched by the child and filtered by status."""
    direction = request.GET.get("direction")
    if direction not in selectors_transfers.DIRECTIONS:
        direction = selectors_transfers.IN
    form = TransferFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    transfers = selectors_transfers.transfer_list(
        actor=actor(request),
        direction=direction,
        status=data.get("status", ""),
        search=data.get("q", ""),
    )
    page = Paginator(transfers, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query, "direction": direction}
    return render(request, "ovc/transfers_list.html", {**context, "labels": labels()})


@ovc_permission(Permission.VIEW_CASES)
def transfer_detail(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """A transfer as one side sees it: the receiver the child's identity, the sender's name,
    the exit date and note; the sender the status, the day of the decision and its reason."""
    who = actor(request)
    transfer = selectors_transfers.transfer_open(
        actor=who, transfer_id=transfer_id, request=request
    )
    side = selectors_transfers.transfer_side(who, transfer)
    may_decide = transfer.is_pending and who.may(Permission.RECORD_CASES)
    context = {
        "transfer": transfer,
        "side": side,
        "may_decide": may_decide,
        "reason_form": TransferReasonForm(),
        "events": transfer.events.all(),
        "age": selectors_transfers.child_age(transfer.person),
        "labels": labels(),
    }
    return render(request, "ovc/transfer_detail.html", context)


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def transfer_accept(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """Enrol the transferred child here, in one of our households or a new one headed by
    the caregiver the sender proposed."""
    who = actor(request)
    transfer = selectors_transfers.transfer_get(actor=who, transfer_id=transfer_id)
    form = TransferAcceptForm(
        request.POST or None,
        households=selectors_transfers.receiving_household_choices(actor=who),
        proposed_caregiver=transfer.proposed_caregiver,
        initial={"registration_date": timezone.localdate(), "first_enrolment": False},
    )

    def save(data):
        chosen = data.pop("household")
        relation = data.pop("caregiver_relation") or "CGPM"
        hiv_status = data.pop("caregiver_hiv_status") or "HSKN"
        new = chosen == NEW_HOUSEHOLD
        services_transfers.transfer_accept(
            actor=who,
            transfer=transfer,
            household=None if new else int(chosen),
            caregiver=transfer.proposed_caregiver if new else None,
            caregiver_relation=relation,
            caregiver_hiv_status=hiv_status,
            **data,
        )

    return form_view(
        request,
        form,
        "ovc/form.html",
        save,
        _("%(person)s enrolled in the programme."),
        reverse("ovc:transfer", args=[transfer.pk]),
        {"person": transfer.person, "title": _("Accept the transfer")},
    )


def _reason_step(request: HttpRequest, transfer_id: int, service, done: str) -> HttpResponse:
    who = actor(request)
    transfer = selectors_transfers.transfer_get(actor=who, transfer_id=transfer_id)
    form = TransferReasonForm(request.POST)
    if form.is_valid():
        try:
            service(actor=who, transfer=transfer, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("ovc:transfer", transfer.pk)
    side = selectors_transfers.transfer_side(who, transfer)
    context = {
        "transfer": transfer,
        "side": side,
        "may_decide": transfer.is_pending,
        "reason_form": form,
        "events": transfer.events.all(),
        "age": selectors_transfers.child_age(transfer.person),
        "labels": labels(),
    }
    return render(request, "ovc/transfer_detail.html", context, status=400)


@ovc_permission(Permission.RECORD_CASES)
@require_POST
def transfer_decline(request: HttpRequest, transfer_id: int) -> HttpResponse:
    return _reason_step(
        request, transfer_id, services_transfers.transfer_decline, _("Transfer declined.")
    )


@ovc_permission(Permission.RECORD_CASES)
@require_POST
def transfer_withdraw(request: HttpRequest, transfer_id: int) -> HttpResponse:
    return _reason_step(
        request, transfer_id, services_transfers.transfer_withdraw, _("Transfer withdrawn.")
    )


def transfers_waiting(request: HttpRequest) -> list[Waiting]:
    """A member's home: OVC transfers to the organisation that wait for an answer."""
    if not runs_ovc(getattr(request, "organisation", None)):
        return []
    count = selectors_transfers.transfers_waiting(organisation=request.organisation)
    message = ngettext(
        "%(n)s OVC transfer waits for your answer",
        "%(n)s OVC transfers wait for your answer",
        count,
    )
    return waiting_count(count, message, reverse("ovc:transfers") + "?direction=in&status=pending")
