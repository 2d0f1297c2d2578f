"""The office's intake screens (``/intake/``): the queue, a typed report and one report to
triage (accept into a case, forward, reject). Thin: the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cpims.form_errors import apply_errors
from intake import selectors, services_triage
from intake.capabilities import CAPABILITY
from intake.forms import AcceptForm, ForwardForm, QueueFilterForm, RejectForm, ReportTypeForm
from intake.selectors import OPEN_STATUSES
from intake.services import ReportInput, intake_report_type
from shared_registry.models import Person
from tenants.actor import actor_from_request
from tenants.decorators import workspace_permission_required
from tenants.policy import Permission

PAGE_SIZE = 50


def _served(request: HttpRequest) -> None:
    if not CAPABILITY.serves(request.organisation):
        raise Http404()


@workspace_permission_required(Permission.TRIAGE_INTAKE)
def queue(request: HttpRequest) -> HttpResponse:
    """Reports waiting here: urgent first, then the oldest; those waiting over 24 h flagged."""
    _served(request)
    filters = QueueFilterForm(request.GET or None)
    status, search = "open", ""
    if filters.is_valid():
        status = filters.cleaned_data["status"] or "open"
        search = filters.cleaned_data["q"]
    reports = selectors.intake_queue(
        actor=actor_from_request(request), search=search, status=status
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "intake/queue.html",
        {"page": page, "filters": filters, "query": query, "hours": selectors.WAITING_HOURS},
    )


@workspace_permission_required(Permission.TRIAGE_INTAKE)
def report_new(request: HttpRequest) -> HttpResponse:
    """A report typed at the office (a call, a visit); the form keeps what was typed."""
    _served(request)
    form = ReportTypeForm(
        request.POST or None, initial={"reported_on": timezone.localdate(), "urgency": "normal"}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        source_kind = data.pop("source_kind")
        try:
            report = intake_report_type(
                actor=actor_from_request(request),
                data=ReportInput(**data),
                source_kind=source_kind,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Report %(reference)s recorded.") % vars(report))
            if report.office_id == request.organisation.pk:
                return redirect("intake:report", reference=report.reference)
            return redirect("intake:queue")
    return render(request, "intake/report_new.html", {"form": form})


@workspace_permission_required(Permission.TRIAGE_INTAKE)
def report(request: HttpRequest, reference: str) -> HttpResponse:
    """One report: the child, the reporter, the place, the narrative; the registry's
    candidates; accept, forward or reject."""
    _served(request)
    actor = actor_from_request(request)
    found = selectors.report_for(actor, reference)
    candidates = selectors.match_candidates(found)
    today = timezone.localdate()
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = {
        "accept": AcceptForm(
            request.POST if action == "accept" else None,
            candidates=candidates,
            initial={
                "decided_on": today,
                "risk_level": "RLHG" if found.urgency == "urgent" else "RLMD",
                "person": str(candidates[0].person.pk) if candidates else "new",
            },
        ),
        "forward": ForwardForm(
            request.POST if action == "forward" else None,
            offices=selectors.dcs_offices(exclude=request.organisation),
            initial={"decided_on": today},
        ),
        "reject": RejectForm(
            request.POST if action == "reject" else None, initial={"decided_on": today}
        ),
    }
    form = forms.get(action)
    if form is not None and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            done = _decide(actor, found, action, data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("intake:queue")
    return render(
        request,
        "intake/report.html",
        {
            "report": found,
            "candidates": candidates,
            "events": selectors.report_history(found),
            "accept_form": forms["accept"],
            "forward_form": forms["forward"],
            "reject_form": forms["reject"],
            "may_decide": found.status in OPEN_STATUSES,
            "overdue": found.status in OPEN_STATUSES
            and found.received_at < selectors.waiting_since(),
        },
    )


def _decide(actor, report, action: str, data: dict) -> str:
    if action == "accept":
        choice = data.pop("person")
        person = None if choice == "new" else Person.objects.filter(pk=int(choice)).first()
        case = services_triage.intake_report_accept(
            actor=actor, reference=report.reference, person=person, **data
        )
        return _("Report accepted: case %(reference)s opened.") % {
            "reference": case.national_reference
        }
    if action == "forward":
        office = selectors.dcs_offices().filter(pk=data.pop("office")).first()
        if office is None:
            raise ValidationError({"office": [_("Choose another active DCS office.")]})
        services_triage.intake_report_forward(
            actor=actor, reference=report.reference, office=office, **data
        )
        return _("Report forwarded to %(office)s.") % {"office": office.name}
    services_triage.intake_report_reject(actor=actor, reference=report.reference, **data)
    return _("Report rejected.")
