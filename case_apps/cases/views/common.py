"""What the case screens share: the case fetched as the member, refusals answered as
pages, the small form page, the officers who can hold a caseload."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse

from case_apps.cases import selectors
from case_apps.cases.presenters import case_labels
from cpims.form_errors import apply_errors
from tenants.actor import Forbidden, actor_from_request
from tenants.policy import Permission, caseload_roles
from tenants.selectors import organisation_members

CASE_ROLES = caseload_roles()  # the policy decides; the name stays for importers


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


def caseload_officers(request: HttpRequest):
    """The organisation's members a case can be assigned to (tenants.policy decides who)."""
    return organisation_members(organisation=request.organisation, roles=set(caseload_roles()))


def case_form_view(
    request, case, form_class, template: str, save, success, *, then=None, **form_kwargs
):
    """GET shows the form; POST calls ``save(cleaned_data)``, keeps input on errors.

    ``success(saved)`` gets what ``save`` returned and says what happened, in words;
    ``then(saved)``, when given, is the address to go to next (else the case page)."""
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success(saved))
            return redirect(then(saved) if then else reverse("cases:detail", args=[case.pk]))
    return render(request, template, {"form": form, "case": case, "labels": case_labels()})


def record_removal_page(request, case, what: str, remove):
    """The page that removes one of the case's records with a reason (a supervisor's
    action): ``what`` names the record, ``remove(reason)`` calls the removal service."""
    from case_apps.cases import confirmations
    from case_apps.cases.forms import RecordRemovalForm

    return case_form_view(
        request,
        case,
        RecordRemovalForm,
        "cases/simple_form.html",
        lambda data: remove(data["reason"]),
        lambda removed: confirmations.record_removed(case, what),
        what=what,
    )
