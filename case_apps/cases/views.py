"""Case screens of an organisation's workspace: thin views over services and selectors."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from case_apps.cases import confirmations, exports, selectors, services
from case_apps.cases.forms import (
    AttachmentForm,
    BursaryForm,
    CaseFilterForm,
    CasePlanForm,
    CaseRecordForm,
    CategoryFormSet,
    ClosureRequestForm,
    DecisionForm,
    FollowUpForm,
    PerpetratorFormSet,
    PlacementForm,
    ReassignForm,
    ReferralForm,
    ReferralOutcomeForm,
)
from case_apps.cases.forms_child import (
    ChildSearchForm,
    TooManyLookups,
    person_from_search,
    too_many_lookups,
)
from case_apps.cases.models import CaseRecord
from case_apps.cases.presenters import case_labels, present_timeline
from case_apps.lists.selectors import list_choices_bulk, sub_categories_by_category
from cpims.form_errors import apply_errors
from tenants.actor import Forbidden, actor_from_request
from tenants.decorators import workspace_permission_required
from tenants.models import Role
from tenants.policy import Permission
from tenants.selectors import organisation_members

CASE_ROLES = {Role.CASE_WORKER, Role.SUPERVISOR, Role.ORGANISATION_ADMIN, Role.DATA_CLERK}


def refusals_as_pages(view):
    """A service's or selector's ``Forbidden`` answered with the forbidden page (403), as the
    policy decorators do; ``NotFound`` is a 404 already."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Forbidden:
            return render(request, "errors/forbidden.html", status=403)

    return wrapped


def on_case(permission: Permission):
    """Load the case as this member (404 when missing or not visible, 403 without
    ``permission`` on it), then call the view with it."""

    def decorator(view):
        @wraps(view)
        @refusals_as_pages
        def wrapped(request: HttpRequest, case_id: int, *args, **kwargs):
            case = selectors.case_get(
                actor=actor_from_request(request), case_id=case_id, permission=permission
            )
            return view(request, case, *args, **kwargs)

        return wrapped

    return decorator


def _officers(request: HttpRequest):
    return organisation_members(organisation=request.organisation, roles=CASE_ROLES)


@workspace_permission_required(Permission.VIEW_CASES)
def caseload(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None, officers=_officers(request))
    filters = selectors.CaseFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.CaseFilters(
            search=data["q"],
            status=data["status"],
            category=data["category"],
            risk_level=data["risk_level"],
            officer=data["officer"],
            county=data["county"],
            reported_from=data["reported_from"],
            reported_to=data["reported_to"],
            sort=data["sort"] or "-date_reported",
        )
    actor = actor_from_request(request)
    export_format = request.GET.get("export")
    if export_format in exports.FORMATS:
        cases = selectors.caseload_export_read(
            actor=actor,
            filters=filters,
            export_format=export_format,
            purpose=request.GET.urlencode(),
            request=request,
        )
        return exports.caseload_export(request, cases, export_format)
    cases = selectors.caseload(actor=actor, filters=filters)
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "labels": case_labels(), "query": request.GET.copy()}
    context["query"].pop("page", None)
    template = "cases/_caseload_rows.html" if request.htmx else "cases/caseload.html"
    return render(request, template, context)


@workspace_permission_required(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def case_create(request: HttpRequest) -> HttpResponse:
    child = selectors.child_get(person_id=request.GET.get("child") or request.POST.get("child"))
    if child is None:
        return redirect("cases:find_child")
    choices = list_choices_bulk(
        [
            "reporter_type",
            "risk_level",
            "immediate_need",
            "long_term_need",
            "intervention",
            "case_category",
            "case_sub_category",
            "place_of_event",
            "case_nature",
            "perpetrator_status",
            "perpetrator_relationship",
        ]
    )
    data = request.POST if request.method == "POST" else None
    form = CaseRecordForm(data, choices=choices)
    sub_categories = sub_categories_by_category()
    categories = CategoryFormSet(
        data, prefix="cat", form_kwargs={"choices": choices, "sub_categories": sub_categories}
    )
    perpetrators = PerpetratorFormSet(data, prefix="perp", form_kwargs={"choices": choices})
    if (
        request.method == "POST"
        and form.is_valid()
        and categories.is_valid()
        and perpetrators.is_valid()
    ):
        try:
            case = services.case_open(
                actor=actor_from_request(request),
                child=child,
                categories=[
                    services.CategoryInput(**c)
                    for c in categories.cleaned_data
                    if c.get("category_code")
                ],
                perpetrators=[
                    services.PerpetratorInput(**p)
                    for p in perpetrators.cleaned_data
                    if p.get("status")
                ],
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Case %(ref)s recorded.") % {"ref": case.national_reference}
            )
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "cases/case_form.html",
        {
            "form": form,
            "categories": categories,
            "perpetrators": perpetrators,
            "child": child,
            "sub_categories": sub_categories_by_category(),
        },
    )


@refusals_as_pages
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_read(
        actor=actor_from_request(request), case_id=case_id, purpose="case page", request=request
    )
    actor = actor_from_request(request)
    may_record = selectors.actor_may_on_case(actor, Permission.RECORD_CASES, case)
    may_supervise = selectors.actor_may_on_case(actor, Permission.SUPERVISE_CASES, case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "labels": case_labels(),
            "timeline": present_timeline(case),
            "may_record": may_record and case.is_open,
            "may_reassign": may_supervise and case.is_open,
            "bursaries": case.bursaries.all(),
            "categories": case.categories.all(),
            "perpetrators": case.perpetrators.all(),
            **sharing_panel(request, case, may_record=may_record),
        },
    )


def sharing_panel(request: HttpRequest, case: CaseRecord, *, may_record: bool) -> dict:
    """The case page's consent records and referrals to other organisations (issue 6)."""
    from sharing import selectors as sharing_selectors
    from sharing.views import scope_rows

    consents = sharing_selectors.consents_of_person(
        organisation=request.organisation, person_id=case.child_id
    )
    for consent in (c for versions in consents for c in versions):
        consent.scope_rows = scope_rows(consent)  # record kinds and field labels, in words
    return {
        "consents": consents,
        "org_referrals": sharing_selectors.referrals_of_case(
            organisation=request.organisation, case_id=case.pk
        ),
        "may_record_consent": may_record,
        "may_refer": case.is_open
        and selectors.actor_may_on_case(
            actor_from_request(request), Permission.SEND_REFERRALS, case
        ),
    }


def _case_form_view(request, case, form_class, template: str, save, success, **form_kwargs):
    """GET shows the form; POST calls ``save(cleaned_data)``, keeps input on errors.

    ``success(saved)`` gets what ``save`` returned and says what happened, in words."""
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success(saved))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, template, {"form": form, "case": case, "labels": case_labels()})


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def follow_up_create(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    def save(data):
        return services.follow_up_record(case=case, actor=actor_from_request(request), **data)

    return _case_form_view(
        request,
        case,
        FollowUpForm,
        "cases/follow_up_form.html",
        save,
        lambda follow_up: confirmations.follow_up_recorded(case, follow_up),
    )


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    def save(data):
        return services.referral_record(
            case=case,
            actor=actor_from_request(request),
            actor_type=data.pop("actor"),
            **data,
        )

    return _case_form_view(
        request,
        case,
        ReferralForm,
        "cases/simple_form.html",
        save,
        lambda referral: confirmations.referral_recorded(case, referral),
    )


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def referral_outcome(request: HttpRequest, case: CaseRecord, referral_id: int) -> HttpResponse:
    referral = selectors.referral_get(
        actor=actor_from_request(request), case_id=case.pk, referral_id=referral_id
    )

    def save(data):
        return services.referral_complete(
            referral=referral, actor=actor_from_request(request), **data
        )

    return _case_form_view(
        request,
        case,
        ReferralOutcomeForm,
        "cases/simple_form.html",
        save,
        lambda done: confirmations.referral_outcome_recorded(case, done),
    )


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def placement_create(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    def save(data):
        return services.placement_record(case=case, actor=actor_from_request(request), **data)

    return _case_form_view(
        request,
        case,
        PlacementForm,
        "cases/simple_form.html",
        save,
        lambda placement: confirmations.placement_recorded(case, placement),
    )


@on_case(Permission.RECORD_CASES)
@require_http_methods(["POST"])
def placement_discharge(request: HttpRequest, case: CaseRecord, placement_id: int) -> HttpResponse:
    placement = selectors.placement_get(
        actor=actor_from_request(request), case_id=case.pk, placement_id=placement_id
    )
    try:
        discharged_on = forms.DateField().clean(request.POST.get("discharged_on"))
        placement = services.placement_discharge(
            placement=placement,
            actor=actor_from_request(request),
            discharged_on=discharged_on,
            notes=request.POST.get("notes", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, confirmations.placement_discharged(case, placement))
    return redirect("cases:detail", case_id=case.pk)


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def bursary_create(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    def save(data):
        return services.bursary_award_record(case=case, actor=actor_from_request(request), **data)

    return _case_form_view(
        request,
        case,
        BursaryForm,
        "cases/simple_form.html",
        save,
        lambda award: confirmations.bursary_recorded(case, award),
    )


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def case_plan_create(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    def save(data):
        services.case_plan_submit(case=case, actor=actor_from_request(request), **data)

    return _case_form_view(
        request,
        case,
        CasePlanForm,
        "cases/simple_form.html",
        save,
        lambda _saved: confirmations.case_plan_submitted(case),
    )


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def closure_request_create(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    def save(data):
        services.closure_request(case=case, actor=actor_from_request(request), **data)

    return _case_form_view(
        request,
        case,
        ClosureRequestForm,
        "cases/simple_form.html",
        save,
        lambda _saved: confirmations.closure_requested(case),
    )


@on_case(Permission.SUPERVISE_CASES)
@require_http_methods(["GET", "POST"])
def case_reassign(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    officers = {u.pk: u for u in _officers(request)}

    def save(data):
        officer = officers[data["officer"]]
        services.case_reassign(
            case=case, actor=actor_from_request(request), officer=officer, reason=data["reason"]
        )
        return officer

    return _case_form_view(
        request,
        case,
        ReassignForm,
        "cases/simple_form.html",
        save,
        lambda officer: confirmations.case_reassigned(case, officer),
        officers=officers.values(),
    )


@workspace_permission_required(Permission.SUPERVISE_CASES)
def approvals(request: HttpRequest) -> HttpResponse:
    waiting = selectors.approvals_waiting_for(actor=actor_from_request(request))
    return render(request, "cases/approvals.html", {"approvals": waiting, "labels": case_labels()})


@workspace_permission_required(Permission.SUPERVISE_CASES)
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def approval_decide(request: HttpRequest, approval_id: int) -> HttpResponse:
    approval = selectors.approval_waiting_get(
        actor=actor_from_request(request), approval_id=approval_id
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decided = services.approval_decide(
                approval=approval,
                actor=actor_from_request(request),
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, confirmations.approval_decided(decided))
            return redirect("cases:approvals")
    return render(
        request,
        "cases/approval_decide.html",
        {
            "approval": approval,
            "form": form,
            "labels": case_labels(),
            "case": approval.case,
            "plan": approval.case_plan,
        },
    )


@workspace_permission_required(Permission.VIEW_CASES)
def child_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    cases = selectors.child_cases_read(
        actor=actor_from_request(request),
        person_id=person_id,
        purpose="child page",
        request=request,
    )
    return render(
        request,
        "cases/child_detail.html",
        {
            "child": cases[0].child,
            "cases": cases,
            "labels": case_labels(),
            "timeline": [entry for case in cases for entry in present_timeline(case)],
        },
    )


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    """Edit the case record sheet; a concurrent save is refused and both versions shown."""
    fields = [f for f in services.EDITABLE_FIELDS if f in CaseRecordForm.base_fields]
    initial = {name: getattr(case, name) for name in fields}
    form = CaseRecordForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in fields}
        try:
            expected = int(request.POST.get("version", "0"))
            services.case_update(
                case=case,
                actor=actor_from_request(request),
                expected_version=expected,
                **changes,
            )
        except services.CaseConflict as error:
            labels = case_labels()
            conflict = [
                (
                    form.fields[name].label,
                    _display(labels, name, changes[name]),
                    _display(labels, name, getattr(error.current, name)),
                )
                for name in changes
                if changes[name] != getattr(error.current, name)
            ]
            form.add_error(None, str(error))
            case = error.current
        except (ValidationError, ValueError) as error:
            if isinstance(error, ValidationError):
                apply_errors(form, error)
            else:
                form.add_error(None, str(error))
        else:
            messages.success(request, confirmations.record_sheet_saved(case))
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request, "cases/case_edit.html", {"form": form, "case": case, "conflict": conflict}
    )


def _display(labels, name: str, value) -> str:
    lists = {
        "reporter_type": "reporter_type",
        "risk_level": "risk_level",
        "intake_intervention": "intervention",
        "immediate_needs": "immediate_need",
        "long_term_needs": "long_term_need",
    }
    if name in lists:
        return (
            labels.many(lists[name], value)
            if isinstance(value, list)
            else labels.of(lists[name], value)
        )
    return "" if value is None else str(value)


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def attachment_upload(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = services.attachment_add(
                case=case,
                actor=actor_from_request(request),
                title=form.cleaned_data["title"],
                uploaded=form.cleaned_data["file"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, confirmations.document_attached(case, attachment))
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request, "cases/simple_form.html", {"form": form, "case": case, "multipart": True}
    )


@on_case(Permission.VIEW_CASES)
def attachment_download(request: HttpRequest, case: CaseRecord, attachment_id: int):
    """Documents are served only here, after the policy said the member may see the case."""
    attachment = selectors.attachment_read(
        actor=actor_from_request(request),
        case_id=case.pk,
        attachment_id=attachment_id,
        request=request,
    )
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=f"{attachment.title}.{attachment.file.name.rsplit('.', 1)[-1]}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@workspace_permission_required(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def find_child(request: HttpRequest) -> HttpResponse:
    """Search the national registry before registering: link to a known child or confirm
    a new one (the registry's matching ranks candidates and says why)."""
    form = ChildSearchForm(request.POST or None)
    candidates = None
    if request.method == "POST" and form.is_valid():
        try:
            child, candidates = person_from_search(request, form)
        except TooManyLookups:
            return too_many_lookups(request)
        if child is not None:
            return redirect(f"{reverse('cases:create')}?child={child.pk}")
    return render(request, "cases/find_child.html", {"form": form, "candidates": candidates})
