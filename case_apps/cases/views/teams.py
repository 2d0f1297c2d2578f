"""The Team screen: an organisation administrator says who supervises whom."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from case_apps.cases import selectors_teams
from case_apps.cases.forms_teams import SupervisionForm, TeamFilterForm
from case_apps.cases.services import teams as team_services
from case_apps.cases.views.common import refusals_as_pages
from cpims.form_errors import apply_errors
from tenants.actor import actor_from_request
from tenants.decorators import workspace_permission_required
from tenants.policy import Permission


def _name(user) -> str:
    return user.full_name or user.email


@workspace_permission_required(Permission.MANAGE_TEAMS)
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def team(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    form = SupervisionForm(
        request.POST or None,
        officers=selectors_teams.officer_choices(actor=actor),
        supervisors=selectors_teams.supervisor_choices(actor=actor),
    )
    if request.method == "POST" and form.is_valid():
        try:
            link = team_services.supervision_add(
                actor=actor,
                supervisor_id=form.cleaned_data["supervisor"],
                officer_id=form.cleaned_data["officer"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(supervisor)s now supervises %(officer)s.")
                % {"supervisor": _name(link.supervisor), "officer": _name(link.officer)},
            )
            return redirect("cases:team")
    filters_form = TeamFilterForm(request.GET or None)
    filters = selectors_teams.TeamFilters()
    if filters_form.is_valid():
        filters = selectors_teams.TeamFilters(
            search=filters_form.cleaned_data["q"],
            role=filters_form.cleaned_data["role"],
            unsupervised=filters_form.cleaned_data["unsupervised"],
        )
    context = {
        "form": form,
        "filters_form": filters_form,
        "members": selectors_teams.team_members(actor=actor, filters=filters),
        "history": selectors_teams.supervision_history(actor=actor),
    }
    template = "cases/_team_rows.html" if request.htmx else "cases/team.html"
    return render(request, template, context, status=400 if form.errors else 200)


@workspace_permission_required(Permission.MANAGE_TEAMS)
@require_POST
@refusals_as_pages
def supervision_remove(request: HttpRequest, supervision_id: int) -> HttpResponse:
    link = team_services.supervision_remove(
        actor=actor_from_request(request), supervision_id=supervision_id
    )
    messages.success(
        request,
        _("%(supervisor)s no longer supervises %(officer)s.")
        % {"supervisor": _name(link.supervisor), "officer": _name(link.officer)},
    )
    return redirect("cases:team")
