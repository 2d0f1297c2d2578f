"""OVC programme screens of an implementing partner's workspace: thin views over services
and selectors. Only implementing partners (kind "ip" or "lip") run the programme."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.services import access_record
from case_apps.cases.forms_child import (
    ChildSearchForm,
    TooManyLookups,
    person_from_search,
    too_many_lookups,
)
from case_apps.lists.selectors import list_labels, list_labels_bulk
from case_apps.ovc import codes, scoring, selectors, services
from case_apps.ovc.forms import (
    CasePlanCompleteForm,
    CasePlanForm,
    CparaForm,
    EnrolmentForm,
    ExitForm,
    HivVisitForm,
    HouseholdForm,
    HouseholdSearchForm,
    MemberForm,
    ScreeningForm,
    ScreeningResultForm,
    ServiceForm,
    WellbeingForm,
)
from case_apps.ovc.models import Enrolment, Household, ReferralState
from cpims.form_errors import apply_errors
from tenants.policy import Permission, may

OVC_ORGANISATION_KINDS = ("ip", "lip")


def runs_ovc(organisation) -> bool:
    """Whether this organisation runs the OVC programme (implementing partners)."""
    return organisation is not None and organisation.kind in OVC_ORGANISATION_KINDS


def ovc_permission(permission: Permission):
    """Only in an implementing partner's workspace (404 elsewhere), with the permission."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not runs_ovc(getattr(request, "organisation", None)):
                raise Http404
            if not may(
                request.user,
                permission,
                organisation=request.organisation,
                membership=request.membership,
            ):
                return render(request, "errors/forbidden.html", status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _household_or_404(household_id) -> Household:
    household = selectors.household_get(household_id=household_id)
    if household is None:
        raise Http404
    return household


def _enrolment_or_404(enrolment_id) -> Enrolment:
    enrolment = selectors.enrolment_get(enrolment_id=enrolment_id)
    if enrolment is None:
        raise Http404
    return enrolment


class _Labels(dict):
    """Code -> label per list, read by the ``label`` template tag of case_labels."""

    def of(self, list_name: str, code: str) -> str:
        return self.get(list_name, {}).get(code, code)

    def many(self, list_name: str, codes_: list[str]) -> str:
        return ", ".join(self.of(list_name, code) for code in codes_)


LABELLED_LISTS = {
    "member_type": "ovc_member_type",
    "hiv_status": "ovc_hiv_status",
    "programme": "ovc_programme",
    "eligibility": "ovc_eligibility",
    "school_level": "ovc_school_level",
    "exit_reason": "ovc_exit_reason",
    "domain": "ovc_domain",
    "responsible": "ovc_responsible",
    "art_status": "ovc_art_status",
    "adherence": "ovc_adherence",
    "wellbeing_kind": "ovc_wellbeing_kind",
}


def _labels() -> _Labels:
    """Labels of the national OVC lists (inactive items too: old records keep theirs) and of
    the app's own fixed choices."""
    lists = list_labels_bulk(LABELLED_LISTS.values())
    labels = _Labels((name, lists[list_name]) for name, list_name in LABELLED_LISTS.items())
    labels["pathway"] = {code: str(label) for code, label in scoring.PATHWAYS}
    labels["risk"] = {key: str(label) for key, label, _who in codes.RISK_QUESTIONS}
    labels["referral_state"] = {code: str(label) for code, label in ReferralState.choices}
    return labels


def _names(context: dict) -> dict:
    """What a confirmation may name: %(household)s (its number), %(child)s, %(person)s."""
    household, enrolment = context.get("household"), context.get("enrolment")
    person = context.get("person")
    return {
        "household": household.number if household else "",
        "child": enrolment.child.full_name if enrolment else "",
        "person": person.full_name if person else "",
    }


def _form_view(request, form, template: str, save, success: str, target: str, context: dict):
    """POST: save(cleaned_data) and go to ``target``; on errors keep the input.

    ``success`` says what happened, naming the household, child or person (``_names``)."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success % _names(context))
            return redirect(target)
    return render(request, template, {"form": form, "labels": _labels(), **context})


# --- households ----------------------------------------------------------------------------
@ovc_permission(Permission.VIEW_CASES)
def household_list(request: HttpRequest) -> HttpResponse:
    form = HouseholdSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.household_list(search=search), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "ovc/household_list.html",
        {
            "form": form,
            "page": page,
            "search": search,
            "may_record": may(
                request.user,
                Permission.RECORD_CASES,
                organisation=request.organisation,
                membership=request.membership,
            ),
        },
    )


PERSON_PURPOSES = {"household", "member", "enrol"}


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def find_person(request: HttpRequest) -> HttpResponse:
    """Search the national registry before registering the caregiver, a member or a child;
    link to a known person or confirm a new one, then go on to the OVC form."""
    purpose = request.GET.get("for", "household")
    if purpose not in PERSON_PURPOSES:
        raise Http404
    household = None
    if purpose != "household":
        household = _household_or_404(request.GET.get("household"))
    targets = {
        "household": lambda: reverse("ovc:household_create"),
        "member": lambda: reverse("ovc:member_add", args=[household.pk]),
        "enrol": lambda: reverse("ovc:enrol", args=[household.pk]),
    }
    form = ChildSearchForm(request.POST or None)
    candidates = None
    if request.method == "POST" and form.is_valid():
        try:
            person, candidates = person_from_search(request, form)
        except TooManyLookups:
            return too_many_lookups(request)
        if person is not None:
            return redirect(f"{targets[purpose]()}?person={person.pk}")
    return render(
        request,
        "ovc/find_person.html",
        {
            "form": form,
            "candidates": candidates,
            "purpose": purpose,
            "household": household,
            "target": targets[purpose](),
        },
    )


def _person_or_find(request, purpose: str, household: Household | None = None):
    person = selectors.person_get(person_id=request.GET.get("person"))
    if person is None:
        url = f"{reverse('ovc:find_person')}?for={purpose}"
        if household is not None:
            url += f"&household={household.pk}"
        return None, redirect(url)
    return person, None


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    head, go_find = _person_or_find(request, "household")
    if go_find:
        return go_find
    organisation = request.organisation
    form = HouseholdForm(
        request.POST or None,
        initial={
            "county_code": organisation.county_code,
            "sub_county_code": organisation.sub_county_code,
        },
    )
    result = {}

    def save(data):
        result["household"] = services.household_register(
            organisation=request.organisation,
            actor=request.user,
            head=head,
            head_relation=data["head_member_type"],
            head_hiv_status=data["head_hiv_status"],
            village=data["village"],
            ward_code=data["ward_code"],
            county_code=data["county_code"],
            sub_county_code=data["sub_county_code"],
        )

    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Household %(household)s registered, headed by %(person)s.")
                % {"household": result["household"].number, "person": head.full_name},
            )
            return redirect("ovc:household", household_id=result["household"].pk)
    return render(
        request,
        "ovc/form.html",
        {"form": form, "title": _("Register a household"), "person": head},
    )


@ovc_permission(Permission.VIEW_CASES)
def household_detail(request: HttpRequest, household_id: int) -> HttpResponse:
    household = _household_or_404(household_id)
    access_record(
        actor=request.user,
        record_kind="ovc_household",
        record_id=household.pk,
        purpose="household page",
        request=request,
    )
    cpara = selectors.cpara_latest(household=household)
    return render(
        request,
        "ovc/household_detail.html",
        {
            "household": household,
            "members": household.members.select_related("person"),
            "enrolments": household.enrolments.select_related("child"),
            "cpara": cpara,
            "cparas": household.cparas.all()[:10],
            "plan_items": household.plan_items.select_related("enrolment__child"),
            "wellbeing": household.wellbeing_assessments.select_related("enrolment__child")[:10],
            "labels": _labels(),
            "may_record": may(
                request.user,
                Permission.RECORD_CASES,
                organisation=request.organisation,
                membership=request.membership,
            ),
        },
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, household_id: int) -> HttpResponse:
    household = _household_or_404(household_id)
    person, go_find = _person_or_find(request, "member", household)
    if go_find:
        return go_find

    def save(data):
        services.household_member_add(
            organisation=request.organisation,
            household=household,
            member=services.MemberInput(person=person, **data),
        )

    return _form_view(
        request,
        MemberForm(request.POST or None),
        "ovc/form.html",
        save,
        _("%(person)s added to household %(household)s."),
        reverse("ovc:household", args=[household.pk]),
        {"household": household, "person": person, "title": _("Add a household member")},
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, household_id: int) -> HttpResponse:
    household = _household_or_404(household_id)
    child, go_find = _person_or_find(request, "enrol", household)
    if go_find:
        return go_find

    def save(data):
        services.child_enrol(
            organisation=request.organisation,
            actor=request.user,
            household=household,
            child=child,
            **data,
        )

    return _form_view(
        request,
        EnrolmentForm(request.POST or None, initial={"registration_date": timezone.localdate()}),
        "ovc/form.html",
        save,
        _("%(person)s enrolled in the programme (household %(household)s)."),
        reverse("ovc:household", args=[household.pk]),
        {"household": household, "person": child, "title": _("Enrol a child")},
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def cpara_create(request: HttpRequest, household_id: int) -> HttpResponse:
    household = _household_or_404(household_id)
    form = CparaForm(request.POST or None, initial={"assessed_on": timezone.localdate()})
    score = None
    if request.method == "POST" and form.is_valid():
        score = scoring.cpara_score(form.answers())
        try:
            cpara = services.cpara_record(
                actor=request.user,
                household=household,
                assessed_on=form.cleaned_data["assessed_on"],
                answers=form.answers(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("CPARA of household %(household)s recorded: %(total)s/9, %(pathway)s.")
                % {
                    "household": household.number,
                    "total": cpara.total,
                    "pathway": cpara.get_pathway_display(),
                },
            )
            return redirect("ovc:household", household_id=household.pk)
    domains = [
        (label, [form[f"benchmark_{n}"] for n, (d, _b) in scoring.BENCHMARKS.items() if d == code])
        for code, label in list_labels("ovc_domain").items()
    ]
    return render(
        request,
        "ovc/cpara_form.html",
        {
            "form": form,
            "household": household,
            "domains": domains,
            "score": score,
            "latest": selectors.cpara_latest(household=household),
            "labels": _labels(),
        },
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def case_plan_add(request: HttpRequest, household_id: int) -> HttpResponse:
    household = _household_or_404(household_id)
    enrolments = {e.pk: e for e in household.enrolments.select_related("child")}
    children = [(pk, str(e.child)) for pk, e in enrolments.items()]

    def save(data):
        enrolment_id = data.pop("enrolment")
        services.case_plan_item_add(
            actor=request.user,
            household=household,
            enrolment=enrolments.get(enrolment_id),
            **data,
        )

    return _form_view(
        request,
        CasePlanForm(request.POST or None, children=children),
        "ovc/form.html",
        save,
        _("Case plan of household %(household)s: item added."),
        reverse("ovc:household", args=[household.pk]),
        {"household": household, "title": _("Add to the case plan")},
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def case_plan_complete(request: HttpRequest, household_id: int, item_id: int) -> HttpResponse:
    household = _household_or_404(household_id)
    item = household.plan_items.filter(pk=item_id).first()
    if item is None:
        raise Http404

    def save(data):
        services.case_plan_item_complete(item=item, **data)

    return _form_view(
        request,
        CasePlanCompleteForm(request.POST or None),
        "ovc/form.html",
        save,
        _("Case plan of household %(household)s: item updated."),
        reverse("ovc:household", args=[household.pk]),
        {"household": household, "title": _("Complete: %(goal)s") % {"goal": item.goal}},
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def wellbeing_create(request: HttpRequest, household_id: int) -> HttpResponse:
    household = _household_or_404(household_id)
    kind = request.GET.get("kind", "WBG")
    kinds = list_labels("ovc_wellbeing_kind")
    if kind not in kinds:
        raise Http404
    enrolments = {e.pk: e for e in household.enrolments.select_related("child")}
    form = WellbeingForm(
        request.POST or None,
        questions=services.wellbeing_questions(kind),
        children=[(pk, str(e.child)) for pk, e in enrolments.items()],
        initial={"assessed_on": timezone.localdate()},
    )

    def save(data):
        services.wellbeing_record(
            actor=request.user,
            household=household,
            kind=kind,
            assessed_on=data["assessed_on"],
            answers=form.answers(),
            enrolment=enrolments.get(data["enrolment"]),
            notes=data["notes"],
        )

    return _form_view(
        request,
        form,
        "ovc/form.html",
        save,
        _("Wellbeing assessment of household %(household)s recorded."),
        reverse("ovc:household", args=[household.pk]),
        {"household": household, "title": kinds[kind]},
    )


# --- one enrolled child --------------------------------------------------------------------
@ovc_permission(Permission.VIEW_CASES)
def enrolment_detail(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _enrolment_or_404(enrolment_id)
    access_record(
        actor=request.user,
        record_kind="ovc_child",
        record_id=enrolment.pk,
        purpose="enrolled child's page",
        request=request,
    )
    today = timezone.localdate()
    visits = [
        (v, services.virally_suppressed(v.viral_load, v.viral_load_date, today))
        for v in enrolment.hiv_visits.all()
    ]
    return render(
        request,
        "ovc/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "household": enrolment.household,
            "services": enrolment.services.all(),
            "screenings": enrolment.screenings.all(),
            "visits": visits,
            "labels": _labels(),
            "needs_result": (ReferralState.NEEDED, ReferralState.REFERRED),
            "may_record": enrolment.is_active
            and may(
                request.user,
                Permission.RECORD_CASES,
                organisation=request.organisation,
                membership=request.membership,
            ),
        },
    )


def _enrolment_form(request, enrolment_id, form_class, save_fn, title: str, success: str):
    enrolment = _enrolment_or_404(enrolment_id)
    return _form_view(
        request,
        form_class(request.POST or None),
        "ovc/form.html",
        lambda data: save_fn(enrolment, data),
        success,
        reverse("ovc:enrolment", args=[enrolment.pk]),
        {"household": enrolment.household, "enrolment": enrolment, "title": title},
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def enrolment_edit(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _enrolment_or_404(enrolment_id)
    initial = {name: getattr(enrolment, name) for name in services.ENROLMENT_EDITABLE}
    # supervisors may correct a positive HIV status entered in error
    may_override = may(
        request.user,
        Permission.SUPERVISE_CASES,
        organisation=request.organisation,
        membership=request.membership,
    )

    def save(data):
        services.enrolment_update(
            organisation=request.organisation,
            enrolment=enrolment,
            may_override_hiv_status=may_override,
            **data,
        )

    return _form_view(
        request,
        EnrolmentForm(request.POST or None, initial=initial),
        "ovc/form.html",
        save,
        _("Enrolment of %(child)s updated."),
        reverse("ovc:enrolment", args=[enrolment.pk]),
        {
            "household": enrolment.household,
            "enrolment": enrolment,
            "person": enrolment.child,
            "title": _("Edit the enrolment"),
        },
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def service_add(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    def save(enrolment, data):
        services.service_record(
            organisation=request.organisation, actor=request.user, enrolment=enrolment, **data
        )

    return _enrolment_form(
        request,
        enrolment_id,
        ServiceForm,
        save,
        _("Record a service"),
        _("Service recorded for %(child)s."),
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def screening_add(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    def save(enrolment, data):
        screening = services.hiv_screening_record(
            organisation=request.organisation, actor=request.user, enrolment=enrolment, **data
        )
        if screening.referral_state == ReferralState.NEEDED:
            messages.warning(request, _("A test is required: refer the child for testing."))

    return _enrolment_form(
        request,
        enrolment_id,
        ScreeningForm,
        save,
        _("HIV risk screening"),
        _("HIV risk screening of %(child)s recorded."),
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def screening_result(request: HttpRequest, enrolment_id: int, screening_id: int) -> HttpResponse:
    enrolment = _enrolment_or_404(enrolment_id)
    screening = enrolment.screenings.filter(pk=screening_id).first()
    if screening is None:
        raise Http404

    def save(_enrolment, data):
        services.hiv_referral_result_record(
            organisation=request.organisation, screening=screening, **data
        )

    return _enrolment_form(
        request,
        enrolment_id,
        ScreeningResultForm,
        save,
        _("Testing referral and result"),
        _("Testing result of %(child)s recorded."),
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def hiv_visit_add(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    def save(enrolment, data):
        services.hiv_management_visit_record(actor=request.user, enrolment=enrolment, **data)

    return _enrolment_form(
        request,
        enrolment_id,
        HivVisitForm,
        save,
        _("HIV management follow-up"),
        _("HIV management visit of %(child)s recorded."),
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def exit_record(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    def save(enrolment, data):
        services.enrolment_exit(
            organisation=request.organisation, actor=request.user, enrolment=enrolment, **data
        )

    return _enrolment_form(
        request,
        enrolment_id,
        ExitForm,
        save,
        _("Exit the programme"),
        _("%(child)s exited the programme."),
    )
