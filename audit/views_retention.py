"""DCS headquarters console: retention periods and the disposal report
(``/console/audit/retention/``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from audit import retention
from audit.models import DisposalAction
from audit.tasks import dispose_expired_task
from tenants.actor import actor_from_request
from tenants.decorators import platform_permission_required
from tenants.policy import Permission


def _int(value: str) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def _render(request: HttpRequest, *, editing: str = "", values=None, errors=None, status=200):
    show = request.GET.get("show", "")
    dry = {"dry": True, "real": False}.get(show)
    context = {
        "rules": retention.effective_rules(),
        "actions": DisposalAction.choices,
        "runs": retention.latest_runs(dry_run=dry),
        "show": show,
        "editing": editing,
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, "audit/retention.html", context, status=status)


@platform_permission_required(Permission.MANAGE_RETENTION)
def retention_page(request: HttpRequest) -> HttpResponse:
    """The rules in force (editable), a dry run or a disposal on demand, and the report."""
    if request.method != "POST":
        return _render(request)
    action = request.POST.get("action", "")
    if action in {"dry_run", "dispose"}:
        if action == "dispose" and request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm the disposal."))
            return _render(request, status=400)
        result = dispose_expired_task.delay(
            dry_run=action == "dry_run", requested_by_id=request.user.pk
        )
        dry_run = action == "dry_run"
        if result.ready():  # in-process (no broker): done already
            done = (
                _("Dry run done in %(n)s organisations: nothing was deleted; the report is below.")
                if dry_run
                else _("Disposal done in %(n)s organisations: the report is below.")
            )
            messages.success(request, done % {"n": result.get()})
        else:
            messages.success(
                request,
                _("Dry run queued for every organisation: refresh the report in a moment.")
                if dry_run
                else _("Disposal queued for every organisation: refresh the report in a moment."),
            )
        return redirect("platform_audit:retention")
    if action == "save":
        kind = request.POST.get("record_kind", "")
        values = {
            "months": request.POST.get("months", "").strip(),
            "min_age_years": request.POST.get("min_age_years", "").strip(),
            "action": request.POST.get("rule_action", ""),
            "legal_basis": request.POST.get("legal_basis", "").strip()[:300],
            "enabled": request.POST.get("enabled") == "on",
        }
        errors: dict[str, str] = {}
        months = _int(values["months"])
        min_age = _int(values["min_age_years"])
        if months is None:
            errors["months"] = _("A whole number of months.")
        if values["min_age_years"] and min_age is None:
            errors["min_age_years"] = _("A whole number of years, or empty.")
        if not errors:
            try:
                retention.retention_rule_set(
                    record_kind=kind,
                    months=months,
                    min_age_years=min_age,
                    action=values["action"],
                    legal_basis=values["legal_basis"],
                    enabled=values["enabled"],
                    actor=actor_from_request(request),
                )
            except ValidationError as error:
                errors = {k: " ".join(v) for k, v in error.message_dict.items()}
        if errors:
            return _render(request, editing=kind, values=values, errors=errors, status=400)
        kind_label = retention.disposable_kind_get(kind).label
        messages.success(
            request,
            _("Retention rule for %(kind)s saved: kept %(months)s months.")
            % {"kind": kind_label, "months": months},
        )
        return redirect("platform_audit:retention")
    return _render(request, status=400)
