"""Assessment screens of a household: CPARA and wellbeing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from case_apps.field.models import FormKind
from case_apps.field.services_staff import WAITING_MESSAGE, staff_form_submit
from case_apps.lists.selectors import list_labels
from case_apps.ovc import scoring, selectors, services
from case_apps.ovc.forms import (
    CparaForm,
    WellbeingForm,
)
from case_apps.ovc.views_common import (
    actor,
    form_view,
    labels,
    ovc_permission,
)
from cpims.form_errors import apply_errors
from tenants.policy import Permission


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def cpara_create(request: HttpRequest, household_id: int) -> HttpResponse:
    household = selectors.household_get(actor=actor(request), household_id=household_id)
    form = CparaForm(request.POST or None, initial={"assessed_on": timezone.localdate()})
    score = None
    if request.method == "POST" and form.is_valid():
        score = scoring.cpara_score(form.answers())
        try:
            submitted = staff_form_submit(
                actor=actor(request),
                kind=FormKind.CPARA,
                target=household,
                visit_date=form.cleaned_data["assessed_on"],
                payload={"answers": form.answers()},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            cpara = submitted.record
            messages.success(
                request,
                WAITING_MESSAGE
                if submitted.waiting
                else _("CPARA of household %(household)s recorded: %(total)s/9, %(pathway)s.")
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
            "labels": labels(),
        },
    )


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def wellbeing_create(request: HttpRequest, household_id: int) -> HttpResponse:
    household = selectors.household_get(actor=actor(request), household_id=household_id)
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
        enrolment = enrolments.get(data["enrolment"])
        return staff_form_submit(
            actor=actor(request),
            kind=FormKind.WELLBEING,
            target=household,
            visit_date=data["assessed_on"],
            payload={
                "kind": kind,
                "enrolment_id": enrolment.pk if enrolment else None,
                "answers": form.answers(),
                "notes": data["notes"],
            },
        )

    return form_view(
        request,
        form,
        "ovc/form.html",
        save,
        _("Wellbeing assessment of household %(household)s recorded."),
        reverse("ovc:household", args=[household.pk]),
        {"household": household, "title": kinds[kind]},
    )
