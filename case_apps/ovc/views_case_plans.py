"""Case plan screens of a household: add a coded line, record its result."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from case_apps.ovc import selectors, services
from case_apps.ovc.forms_plans import CasePlanCompleteForm, CasePlanForm, typed_so_far
from case_apps.ovc.panels_plans import plan_labels
from case_apps.ovc.views_common import actor, form_view, ovc_permission
from tenants.policy import Permission


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def case_plan_add(request: HttpRequest, household_id: int) -> HttpResponse:
    household = selectors.household_get(actor=actor(request), household_id=household_id)
    enrolments = {e.pk: e for e in household.enrolments.select_related("child")}
    children = [(pk, str(e.child)) for pk, e in enrolments.items()]

    def save(data):
        enrolment_id = data.pop("enrolment")
        if enrolment_id is not None and enrolment_id not in enrolments:
            raise Http404
        services.case_plan_item_add(
            actor=actor(request),
            household=household,
            enrolment=enrolments.get(enrolment_id),
            **data,
        )

    query = request.POST or request.GET
    form = CasePlanForm(
        request.POST or None,
        children=children,
        domain=query.get("domain"),
        url=request.path,
        initial=typed_so_far(request.GET, multiple=("services",)),
    )
    return form_view(
        request,
        form,
        "ovc/form.html",
        save,
        _("Case plan of household %(household)s: item added."),
        reverse("ovc:household", args=[household.pk]) + "#case-plan",
        {"household": household, "title": _("Add to the case plan")},
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def case_plan_complete(request: HttpRequest, household_id: int, item_id: int) -> HttpResponse:
    household = selectors.household_get(actor=actor(request), household_id=household_id)
    item = household.plan_items.filter(pk=item_id).first()
    if item is None:
        raise Http404

    def save(data):
        services.case_plan_item_complete(
            actor=actor(request), item=item, household=household, **data
        )

    goal = plan_labels().of("goal", item.goal) if item.goal else item.goal_text
    return form_view(
        request,
        CasePlanCompleteForm(request.POST or None),
        "ovc/form.html",
        save,
        _("Case plan of household %(household)s: item updated."),
        reverse("ovc:household", args=[household.pk]) + "#case-plan",
        {"household": household, "title": _("Result: %(goal)s") % {"goal": goal}},
    )
