"""Case screens of consent and of referral / transfer between organisations (issue 6).

On the sender's side everything hangs off a case the member sees (``on_case``): the child's
consents (record, change, withdraw, history) and the referrals out with their status. On the
receiver's side: the inbox of referrals in, a referral's consented summary (an access-log
entry per read), accept (opens the receiver's own case) or decline with a reason.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from case_apps.cases import confirmations, transfers
from case_apps.cases.forms import CodedForm, ReferralSheetFieldsForm
from case_apps.cases.models import CaseRecord
from case_apps.cases.presenters import case_labels
from case_apps.cases.sharing import smallest_scope_values
from case_apps.cases.views import lists, on_case
from cpims.form_errors import apply_errors
from shared_registry.models import County
from sharing import selectors as sharing_selectors
from sharing import selectors_for_actor, services_consent, services_referrals
from sharing.forms import ConsentForm, ReferralSendForm, scope_from, scope_values
from sharing.models import ReferralService
from sharing.registry import field_display, field_label, record_kind_get
from tenants.actor import actor_from_request
from tenants.decorators import workspace_permission_required
from tenants.models import OrganisationKind
from tenants.policy import Permission


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AcceptForm(CodedForm):
    coded_fields = {"category_code": "case_category", "risk_level": "risk_level"}
    category_code = forms.ChoiceField(label=gettext_lazy("Case category of your case"))
    risk_level = forms.ChoiceField(label=gettext_lazy("Risk level"))
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _back(case: CaseRecord) -> str:
    return reverse("cases:detail", kwargs={"case_id": case.pk}) + "#sharing"


# --- consent ------------------------------------------------------------------------------------
def _consent_or_404(request: HttpRequest, case: CaseRecord, consent_id: int):
    consent = sharing_selectors.consent_of_organisation(
        organisation=request.organisation, consent_id=consent_id, person_id=case.child_id
    )
    if consent is None:
        raise Http404
    return consent


def _consent_form_view(request, case, *, save, initial=None, title: str, success):
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.service_arguments())
        except PermissionDenied:
            return render(request, "errors/forbidden.html", status=403)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "scope" in error.error_dict:
                error.error_dict["fields"] = error.error_dict.pop("scope")
            apply_errors(form, error)
        else:
            messages.success(request, success(saved))
            return redirect(_back(case))
    return render(
        request,
        "cases/consent_form.html",
        {"form": form, "case": case, "title": title},
        status=400 if request.method == "POST" else 200,
    )


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def consent_new(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    def save(data):
        return services_consent.consent_record(
            organisation=request.organisation,
            person=case.child,
            actor=actor_from_request(request),
            **data,
        )

    return _consent_form_view(
        request,
        case,
        save=save,
        initial={"given_on": timezone.localdate()},
        title=_("Record consent"),
        success=lambda consent: confirmations.consent_recorded(case, consent),
    )


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def consent_change(request: HttpRequest, case: CaseRecord, consent_id: int) -> HttpResponse:
    consent = _consent_or_404(request, case, consent_id)

    def save(data):
        return services_consent.consent_change(
            consent=consent, actor=actor_from_request(request), **data
        )

    initial = {
        name: getattr(consent, name)
        for name in (
            "given_by",
            "giver_name",
            "giver_relationship",
            "reference",
            "purpose",
            "given_on",
            "valid_until",
        )
    }
    initial["fields"] = scope_values(consent.scope)
    return _consent_form_view(
        request,
        case,
        save=save,
        initial=initial,
        title=_("Change consent (records version %(v)s)") % {"v": consent.version + 1},
        success=lambda new: confirmations.consent_changed(case, new),
    )


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, case: CaseRecord, consent_id: int) -> HttpResponse:
    consent = _consent_or_404(request, case, consent_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_consent.consent_withdraw(
                consent=consent,
                actor=actor_from_request(request),
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied:
            return render(request, "errors/forbidden.html", status=403)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, confirmations.consent_withdrawn(case))
            return redirect(_back(case))
    return render(
        request,
        "cases/consent_withdraw.html",
        {"form": form, "case": case, "consent": consent},
        status=400 if request.method == "POST" else 200,
    )


# --- referral / transfer out --------------------------------------------------------------------
def _directory_filters(request: HttpRequest) -> dict[str, str]:
    source = request.POST if request.method == "POST" else request.GET
    return {
        "kind": source.get("org_kind", "")[:32],
        "county_code": source.get("org_county", "").strip()[:3],
        "service": source.get("org_service", "")[:4],
        "search": source.get("org_q", "").strip()[:100],
    }


SHEET_FIELDS = ("actor", "destination", "reasons", "share_phone")


@on_case(Permission.SEND_REFERRALS)
@require_http_methods(["GET", "POST"])
def referral_send(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    """The one "Refer" flow to an organisation on the platform: sharing's send form (receiver,
    consent, the summary's fields) and the case record sheet's fields (reasons, actor,
    destination). It starts with the smallest summary (``SMALLEST_SCOPE``) and the officer's
    work phone ticked; the officer adds other fields deliberately."""
    refusal = transfers.referral_refused_for(case)
    if refusal:
        messages.error(request, refusal)
        return redirect(_back(case))
    filters = _directory_filters(request)
    receivers = sharing_selectors.receiving_organisations(sender=request.organisation, **filters)
    consent_queryset = sharing_selectors.consents_usable(
        organisation=request.organisation, person_id=case.child_id
    )
    consents = list(consent_queryset)
    sending = request.method == "POST" and "send" in request.POST
    initial = {"kind": "referral", "share_phone": True}
    if len(consents) == 1:
        initial.update(consent=consents[0].pk, fields=smallest_scope_values(consents[0].scope))
    if request.method == "POST" and not sending:  # "Find" again: keep what was typed
        many = ("services", "fields", "reasons")
        initial = {
            name: request.POST.getlist(name) if name in many else request.POST.get(name, "")
            for name in ("receiver", "kind", "services", "reason", "consent", "fields")
            + SHEET_FIELDS
        }
    form = ReferralSendForm(
        request.POST if sending else None,
        initial=initial,
        receivers=receivers,
        consents=consent_queryset,
    )
    form.fields["reason"].required = False  # the reasons say why; a note may add to them
    form.fields["reason"].label = _("Note for the receiver")
    sheet = ReferralSheetFieldsForm(request.POST if sending else None, initial=initial)
    counties = list(County.objects.order_by("name").values_list("code", "name"))
    county_names = dict(counties)
    form.fields["receiver"].label_from_instance = lambda o: " · ".join(
        (o.name, o.get_kind_display(), county_names.get(o.county_code, o.county_code))
    )
    if sending and all([form.is_valid(), sheet.is_valid()]):
        data, sheet_data = form.cleaned_data, sheet.cleaned_data
        try:
            referral = transfers.referral_send_from_case(
                actor=actor_from_request(request),
                case=case,
                receiver=data["receiver"],
                kind=data["kind"],
                reason=data["reason"],
                services=data["services"],
                consent=data["consent"],
                fields=scope_from(data["fields"]),
                reasons=sheet_data["reasons"],
                actor_type=sheet_data["actor"],
                destination=sheet_data["destination"],
                share_phone=sheet_data["share_phone"],
            )
        except PermissionDenied:
            return render(request, "errors/forbidden.html", status=403)
        except ValidationError as error:
            sheet_errors = {
                name: messages_
                for name, messages_ in getattr(error, "error_dict", {}).items()
                if name in SHEET_FIELDS
            }
            others = {
                name: messages_
                for name, messages_ in getattr(error, "error_dict", {}).items()
                if name not in SHEET_FIELDS
            }
            if sheet_errors:
                apply_errors(sheet, ValidationError(sheet_errors))
            if others or not hasattr(error, "error_dict"):
                apply_errors(form, ValidationError(others) if others else error)
        else:
            messages.success(
                request,
                _("%(kind)s sent to %(org)s.")
                % {"kind": referral.get_kind_display().split(" (")[0], "org": referral.receiver},
            )
            return redirect(_back(case))
    return render(
        request,
        "cases/referral_send.html",
        {
            "form": form,
            "sheet": sheet,
            "case": case,
            "filters": filters,
            "consents": consents,
            "receivers": receivers[:50],
            "kinds": OrganisationKind.choices,
            "services": ReferralService.choices,
            "counties": counties,
        },
        status=400 if sending else 200,
    )


@on_case(Permission.SEND_REFERRALS)
@require_POST
def referral_withdraw(request: HttpRequest, case: CaseRecord, referral_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    referral = selectors_for_actor.referral_sent_for(actor, referral_id, case_id=case.pk)
    try:
        services_referrals.referral_withdraw(
            referral=referral, actor=actor, reason=request.POST.get("reason", "")[:2000]
        )
    except PermissionDenied:
        return render(request, "errors/forbidden.html", status=403)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, confirmations.org_referral_withdrawn(referral))
    return redirect(_back(case))


# --- referrals in -------------------------------------------------------------------------------
@workspace_permission_required(Permission.RECEIVE_REFERRALS)
def referrals_in(request: HttpRequest) -> HttpResponse:
    return lists.referrals_in_page(request)  # search and filters: case_apps/cases/views/lists.py


def summary_sections(parts: list[dict]) -> list[dict]:
    """The consented summary (``selectors_for_actor.referral_summary_read``) as tables: each
    record kind's field labels and rows."""
    sections = []
    for part in parts:
        kind = part["record_kind"]
        record_kind = record_kind_get(kind)
        names = part.get("fields", [])
        sections.append(
            {
                "label": record_kind.label if record_kind else kind,
                "columns": [field_label(kind, n) for n in names],
                "rows": [
                    [field_display(kind, n, row.get(n)) for n in names]
                    for row in part.get("rows", [])
                ],
            }
        )
    return sections


class CompleteForm(forms.Form):
    completed_on = forms.DateField(
        label=gettext_lazy("Completed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=gettext_lazy("What came of it (the sender sees it)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def child_card(person, on) -> dict[str, str]:
    """The child as a received referral shows them: sex in words and age in years on
    ``on`` ("about" when the birth date is estimated or only the year is known), never the
    date of birth (that is a summary field the sender may add)."""
    from shared_registry.models import Sex

    sex = str(Sex(person.sex).label) if person.sex in Sex.values else ""
    age = ""
    if person.date_of_birth:
        born = person.date_of_birth
        years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        age = (_("about %(n)s years") if person.birth_date_estimated else _("%(n)s years")) % {
            "n": years
        }
    elif person.birth_year:
        age = _("about %(n)s years") % {"n": on.year - person.birth_year}
    return {"sex": sex, "age": age}


def _referral_in_page(
    request, referral, *, accept_form=None, decline_form=None, complete_form=None, status=200
):
    consent_in_force = referral.consent.in_force_on(timezone.localdate())
    parts = selectors_for_actor.referral_summary_read(
        actor_from_request(request),
        referral,
        purpose=f"referral #{referral.pk} from {referral.sender.slug}",
        request=request,
    )
    return render(
        request,
        "cases/referral_in.html",
        {
            "referral": referral,
            "sections": summary_sections(parts),
            "consent_in_force": consent_in_force,
            "events": referral.events.all(),
            "services": [
                ReferralService(s).label for s in referral.services if s in ReferralService.values
            ],
            "accept_form": accept_form or AcceptForm(),
            "decline_form": decline_form or ReasonForm(),
            "complete_form": complete_form or CompleteForm(),
            "child": child_card(referral.person, timezone.localdate()),
            "reasons": case_labels().many("referral_reason", referral.reasons),
        },
        status=status,
    )


def _received_or_404(request: HttpRequest, referral_id: int):
    return selectors_for_actor.referral_received_for(actor_from_request(request), referral_id)


@workspace_permission_required(Permission.RECEIVE_REFERRALS)
def referral_in(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _referral_in_page(request, _received_or_404(request, referral_id))


@workspace_permission_required(Permission.RECEIVE_REFERRALS)
@require_POST
def referral_in_accept(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _received_or_404(request, referral_id)
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            case = transfers.referral_accept_and_open_case(
                organisation=request.organisation,
                referral=referral,
                actor=actor_from_request(request),
                **form.cleaned_data,
            )
        except PermissionDenied:
            return render(request, "errors/forbidden.html", status=403)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Accepted: case %(ref)s opened.") % {"ref": case.national_reference}
            )
            return redirect("cases:detail", case_id=case.pk)
    return _referral_in_page(request, referral, accept_form=form, status=400)


@workspace_permission_required(Permission.RECEIVE_REFERRALS)
@require_POST
def referral_in_decline(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _received_or_404(request, referral_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services_referrals.referral_decline(
                referral=referral,
                actor=actor_from_request(request),
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied:
            return render(request, "errors/forbidden.html", status=403)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, confirmations.org_referral_declined(referral))
            return redirect("cases:referrals_in")
    return _referral_in_page(request, referral, decline_form=form, status=400)


@workspace_permission_required(Permission.RECEIVE_REFERRALS)
@require_POST
def referral_in_complete(request: HttpRequest, referral_id: int) -> HttpResponse:
    """The receiver marks an accepted referral completed with the day it was; the sender's
    case record sheet follows."""
    referral = _received_or_404(request, referral_id)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            services_referrals.referral_mark_completed(
                referral=referral,
                actor=actor_from_request(request),
                completed_on=form.cleaned_data["completed_on"],
                note=form.cleaned_data["note"],
            )
        except PermissionDenied:
            return render(request, "errors/forbidden.html", status=403)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Referral #%(n)s marked completed.") % {"n": referral.pk})
            return redirect("cases:referral_in", referral_id=referral.pk)
    return _referral_in_page(request, referral, complete_form=form, status=400)
