"""Registry screens, on the platform site (registry managers) and in every workspace
(members who record cases). Views are thin: a form, one selector or service, a template."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_registry import matching, selectors, selectors_desk, selectors_lookups, services_desk
from shared_registry.access import TooManyLookups
from shared_registry.forms import PersonForm
from shared_registry.importers import IMPORTERS
from shared_registry.models import DirectoryKind, Sex, SiblingKind
from shared_registry.places import county_options
from tenants.actor import Forbidden, actor_from_request
from tenants.decorators import platform_permission_required, workspace_permission_required
from tenants.policy import Permission

# "Request access": an administrator's full request, a case worker's draft (issue 17)
SHARING_REQUEST_URL = "/sharing/access-requests/new/?person={cpims_id}"


def refusals_as_pages(view):
    """A selector's or service's ``Forbidden`` is the forbidden page (403), too many look-ups
    the registry's own page (429); ``NotFound`` is a 404 already."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Forbidden:
            return render(request, "errors/forbidden.html", status=403)
        except TooManyLookups:
            return render(request, "shared_registry/too_many_lookups.html", status=429)

    return wrapped


def _search_context(request: HttpRequest) -> dict:
    actor = actor_from_request(request)
    q = request.GET.get("q", "").strip()[:200]
    sex = request.GET.get("sex", "")
    sex = sex if sex in Sex.values else ""
    try:
        year = int(request.GET.get("year", "") or 0) or None
    except ValueError:
        year = None
    county = request.GET.get("county", "").strip()[:3] or None
    results = selectors_lookups.registry_search(
        actor=actor, query=q, sex=sex, birth_year=year, county_code=county, request=request
    )
    return {
        "q": q,
        "sex": sex,
        "year": year or "",
        "county": county or "",
        "counties": county_options(),
        "results": results,
        "sex_choices": Sex.choices,
        "searched": bool(q),
        "invalid_cpims_id": not results and selectors.cpims_id_fails_check(q),
        "one_name_only": not results and len(q.split()) == 1 and not any(c.isdigit() for c in q),
        "sharing_url": SHARING_REQUEST_URL,
        "in_workspace": actor.organisation is not None,
    }


def _candidate_context(request: HttpRequest, values: dict) -> dict:
    """Two levels, shown differently: "probably the same child" first, with its reasons;
    "other persons with similar names" collapsed, shown on request. The selector logs the
    search and gives each person the ref that opens their page for this member."""
    candidates = selectors_lookups.candidates_read(
        actor=actor_from_request(request), values=values, request=request
    )
    return {
        "candidates": candidates,
        "likely": [c for c in candidates if c["level"] == matching.LIKELY],
        "similar": [c for c in candidates if c["level"] != matching.LIKELY],
    }


def _register(request: HttpRequest, *, template: str) -> HttpResponse:
    """Match first: "check" shows ranked candidates; the clerk links one or registers new
    (giving a reason when someone is probably the same child)."""
    actor = actor_from_request(request)
    form = PersonForm(request.POST or None)
    context = {
        "form": form,
        "candidates": None,
        "in_workspace": actor.organisation is not None,
        "may_register": True,
        "reason": request.POST.get("registered_anyway_reason", "")[:1000],
        "reason_error": "",
    }
    if request.method == "POST":
        action = request.POST.get("action", "check")
        # No "link" action: a link comes only from a record the organisation holds
        # (shared_registry/links.py), never from choosing a person here.
        if form.is_valid():
            values = form.person_values()
            values["birth_date_estimated"] = form.cleaned_data["birth_date_estimated"]
            if action == "register":
                try:
                    person = services_desk.registration_submit(
                        actor=actor,
                        values=values,
                        registered_anyway_reason=context["reason"],
                        request=request,
                    )
                except ValidationError as exc:
                    errors = dict(exc.message_dict)
                    context["reason_error"] = " ".join(errors.pop("registered_anyway_reason", []))
                    form.add_service_errors(errors)
                else:
                    messages.success(
                        request,
                        _("%(name)s registered as CPIMS person %(id)s.")
                        % {"name": person.full_name, "id": person.cpims_id},
                    )
                    return redirect("registry:person", cpims_id=person.cpims_id)
            context |= _candidate_context(request, values)
        else:
            context["candidates"] = []
    if request.htmx and request.method == "POST":
        return render(request, "shared_registry/_candidates.html", context)
    return render(request, template, context)


def _person_context(request: HttpRequest, cpims_id: str) -> dict:
    """The person's page as this actor may see it (shared_registry/selectors_lookups.py:
    "not found" unless reachable; the read is in the access log)."""
    actor = actor_from_request(request)
    read = selectors_lookups.person_read(
        actor=actor, cpims_id=cpims_id, ref=request.GET.get("ref", ""), request=request
    )
    return {
        "person": read.person,
        "summary": read.summary,
        "linked": read.linked,
        "show_details": read.show_details,
        "identifiers": read.identifiers,
        "merges": read.merges,
        "sharing_url": SHARING_REQUEST_URL.format(cpims_id=read.person.cpims_id),
        "in_workspace": actor.organisation is not None,
    }


# --- in a workspace -------------------------------------------------------------------------
@workspace_permission_required(Permission.SEARCH_REGISTRY)
@refusals_as_pages
def workspace_search(request: HttpRequest) -> HttpResponse:
    context = _search_context(request)
    context["may_register"] = actor_from_request(request).may(Permission.REGISTER_PERSONS)
    return render(request, "shared_registry/search.html", context)


@workspace_permission_required(Permission.REGISTER_PERSONS)
@refusals_as_pages
def workspace_register(request: HttpRequest) -> HttpResponse:
    return _register(request, template="shared_registry/register.html")


@workspace_permission_required(Permission.SEARCH_REGISTRY)
@refusals_as_pages
def workspace_person(request: HttpRequest, cpims_id: str) -> HttpResponse:
    context = _person_context(request, cpims_id)
    return render(request, "shared_registry/person.html", context)


# --- on the platform site (registry managers) -----------------------------------------------
@platform_permission_required(Permission.MANAGE_REGISTRY)
@refusals_as_pages
def platform_search(request: HttpRequest) -> HttpResponse:
    context = _search_context(request)
    context["may_register"] = True
    waiting = selectors_desk.duplicates_open_count(actor=actor_from_request(request))
    if waiting is not None:
        context["open_duplicates"] = waiting
    return render(request, "shared_registry/search.html", context)


@platform_permission_required(Permission.MANAGE_REGISTRY)
@refusals_as_pages
def platform_register(request: HttpRequest) -> HttpResponse:
    return _register(request, template="shared_registry/register.html")


@platform_permission_required(Permission.MANAGE_REGISTRY)
@refusals_as_pages
def platform_person(request: HttpRequest, cpims_id: str) -> HttpResponse:
    context = _person_context(request, cpims_id)
    return render(request, "shared_registry/person.html", context)


# --- the registry manager's desk (issue 15) -------------------------------------------------
@platform_permission_required(Permission.REVIEW_DUPLICATES)
@refusals_as_pages
def duplicates(request: HttpRequest) -> HttpResponse:
    """The duplicates queue, strongest evidence first, with how many pairs each county holds."""
    q = request.GET.get("q", "").strip()[:100]
    county = request.GET.get("county", "").strip()[:3]
    queue = selectors_desk.duplicates_queue(
        actor=actor_from_request(request), county_code=county, name=q
    )
    return render(
        request,
        "shared_registry/duplicates.html",
        {
            "rows": queue.pairs,
            "q": q,
            "county": county,
            "by_county": queue.by_county,
            "total": queue.total,
        },
    )


def _decided(request: HttpRequest, outcome, action: str) -> HttpResponse:
    """Where a decision leads, with what the manager is told."""
    if action == "merge":
        messages.success(
            request,
            _("Merged %(m)s into %(s)s.")
            % {"m": outcome.merged.cpims_id, "s": outcome.survivor.cpims_id},
        )
        return redirect("registry:person", cpims_id=outcome.survivor.cpims_id)
    pair = {"a": outcome.person_a.cpims_id, "b": outcome.person_b.cpims_id}
    if action == "dismiss":
        messages.success(
            request,
            _("%(a)s and %(b)s are not the same person: the pair leaves the queue for good.")
            % pair,
        )
    else:
        messages.success(request, _("%(a)s and %(b)s recorded as siblings or twins.") % pair)
    return redirect("registry:duplicates")


@platform_permission_required(Permission.REVIEW_DUPLICATES)
@refusals_as_pages
def duplicate_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Side-by-side comparison of a pair, and the decision: merge (with a reason), not the
    same person, or siblings/twins."""
    actor = actor_from_request(request)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in services_desk.DECISIONS:
            selectors_desk.duplicate_get(actor=actor, pair_id=pk)  # 404 for an unknown pair
            errors = {"action": [_("Choose a decision.")]}
        else:
            try:
                outcome = services_desk.duplicate_decide(
                    actor=actor,
                    pair_id=pk,
                    action=action,
                    keep=request.POST.get("survivor", ""),
                    kind=request.POST.get("kind", ""),
                    reason=request.POST.get("reason", "")[:1000],
                )
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                return _decided(request, outcome, action)
    duplicate, side_a, side_b = selectors_desk.duplicate_compare(actor=actor, pair_id=pk)
    return render(
        request,
        "shared_registry/duplicate.html",
        {
            "d": duplicate,
            "a": side_a,
            "b": side_b,
            "errors": errors,
            "reason": request.POST.get("reason", "")[:1000],
            "sibling_kinds": SiblingKind.choices,
        },
        status=422 if errors else 200,
    )


@platform_permission_required(Permission.REVIEW_DUPLICATES)
@refusals_as_pages
def merges(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:20]
    rows = selectors_desk.merges_list(actor=actor_from_request(request), cpims_id_start=q)
    return render(request, "shared_registry/merges.html", {"rows": rows, "q": q})


@require_POST
@platform_permission_required(Permission.REVIEW_DUPLICATES)
@refusals_as_pages
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        merge = services_desk.merge_undo(actor=actor_from_request(request), merge_id=pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Merge undone: %(m)s and %(s)s are two persons again.")
            % {"m": merge.merged.cpims_id, "s": merge.survivor.cpims_id},
        )
    return redirect("registry:merges")


@platform_permission_required(Permission.MANAGE_REGISTRY)
@refusals_as_pages
def directory(request: HttpRequest) -> HttpResponse:
    """The directory of organisations, with the CSV imports (directory, KMHFL, NEMIS)."""
    actor = actor_from_request(request)
    report = None
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        upload = request.FILES.get("file")
        if kind not in IMPORTERS or upload is None:
            messages.error(request, _("Choose what to import and a CSV file."))
        else:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                messages.error(request, _("The file is not UTF-8 text."))
            else:
                report = services_desk.directory_import(
                    actor=actor,
                    kind=kind,
                    text=text,
                    import_valid_rows=request.POST.get("import_valid_rows") == "on",
                )
    q = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    entries = selectors_lookups.directory_entries(actor=actor, query=q, kind=kind, limit=200)
    return render(
        request,
        "shared_registry/directory.html",
        {
            "entries": entries,
            "q": q,
            "kind": kind,
            "kinds": DirectoryKind.choices,
            "report": report,
            "importers": sorted(IMPORTERS),
        },
    )
