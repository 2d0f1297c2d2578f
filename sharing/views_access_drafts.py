"""Request access from a registry search result (sharing/services_access_drafts.py): a case
worker drafts, their administrators submit or discard (on the agreement's page), the drafter
follows the status here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shared_registry import checkdigit
from sharing import selectors
from sharing.forms import ERROR_FIELDS
from sharing.forms_access_drafts import AccessRequestDraftForm
from sharing.selectors_access_drafts import access_requests_drafted_by
from sharing.services_access_drafts import access_request_draft
from sharing.views import scope_rows
from tenants.actor import actor_from_request
from tenants.decorators import workspace_permission_required
from tenants.policy import Permission


@require_http_methods(["GET", "POST"])
def access_request_new(request: HttpRequest) -> HttpResponse:
    """The registry's "Request access": administrators go to the full request form, those
    who may draft to the draft form, others are refused."""
    actor = actor_from_request(request)
    typed = checkdigit.normalise(request.GET.get("person", "") or request.POST.get("person", ""))
    typed = typed[:32] if checkdigit.is_valid(typed[:32]) else ""
    if actor.organisation is not None and actor.may(Permission.MANAGE_SHARING):
        query = f"?{urlencode({'person': typed})}" if typed else ""
        return redirect(reverse("sharing:request") + query)
    if actor.organisation is None or not actor.may(Permission.DRAFT_ACCESS_REQUESTS):
        return render(request, "errors/forbidden.html", status=403)
    providers = selectors.providers_for(requester=request.organisation)
    form = AccessRequestDraftForm(
        request.POST or None, providers=providers, initial={"person": typed}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draft = access_request_draft(
                actor=actor,
                provider=data["provider"],
                person_id=data["person"].pk,
                purpose=data["purpose"],
                legal_basis=data["legal_basis"],
                scope=form.scope(),
            )
        except ValidationError as error:
            for key, problems in error.message_dict.items():
                name = ERROR_FIELDS.get(key, key)
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        else:
            messages.success(
                request,
                _("Request #%(n)s drafted: your administrator reviews it and sends it to %(org)s.")
                % {"n": draft.pk, "org": draft.provider.name},
            )
            return redirect("sharing:access_requests")
    return render(
        request,
        "sharing/access_request_new.html",
        {"form": form, "cpims_id_display": checkdigit.display(typed) if typed else ""},
        status=400 if form.errors else 200,
    )


@workspace_permission_required(Permission.DRAFT_ACCESS_REQUESTS)
def access_requests(request: HttpRequest) -> HttpResponse:
    """The requests this member drafted and where each stands."""
    rows = [
        {
            "agreement": agreement,
            "scope": scope_rows(agreement),
            "last": list(agreement.events.all())[-1:],
        }
        for agreement in access_requests_drafted_by(actor=actor_from_request(request))
    ]
    return render(request, "sharing/access_requests.html", {"rows": rows})
