"""Registry screens, on the platform site (registry managers) and in every workspace
(members who record cases). Views are thin: a form, one selector or service, a template."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_registry import access, checkdigit, matching, selectors, services
from shared_registry.forms import PersonForm
from shared_registry.importers import IMPORTERS
from shared_registry.models import DirectoryKind, PersonMerge, Sex, SiblingKind
from shared_registry.places import county_options
from tenants.decorators import platform_permission_required
from tenants.policy import Permission, may

SHARING_REQUEST_URL = "/sharing/requests/new/?person={cpims_id}"  # the data sharing issue


def _workspace_may(request: HttpRequest, permission: Permission) -> bool:
    return may(
        request.user,
        permission,
        organisation=request.organisation,
        membership=request.membership,
    )


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/forbidden.html", status=403)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "shared_registry/too_many_lookups.html", status=429)


def _search_context(request: HttpRequest, *, organisation) -> dict:
    q = request.GET.get("q", "").strip()[:200]
    sex = request.GET.get("sex", "")
    sex = sex if sex in Sex.values else ""
    try:
        year = int(request.GET.get("year", "") or 0) or None
    except ValueError:
        year = None
    county = request.GET.get("county", "").strip()[:3] or None
    results = selectors.person_search(
        query=q, sex=sex, birth_year=year, county_code=county, exclude_organisation=organisation
    )
    if q:
        access.log_search(request, query=q, found=[r.cpims_id for r in results])
    return {
        "q": q,
        "sex": sex,
        "year": year or "",
        "county": county or "",
        "counties": county_options(),
        "results": access.summaries_with_refs(request, results),
        "sex_choices": Sex.choices,
        "searched": bool(q),
        "invalid_cpims_id": not results and selectors.cpims_id_fails_check(q),
        "one_name_only": not results and len(q.split()) == 1 and not any(c.isdigit() for c in q),
        "sharing_url": SHARING_REQUEST_URL,
        "in_workspace": organisation is not None,
    }


def _candidate_context(request: HttpRequest, found, *, organisation) -> dict:
    """Two levels, shown differently: "probably the same child" first, with its reasons;
    "other persons with similar names" collapsed, shown on request. The search is logged and
    each person shown carries the ref that opens their page for this member."""
    summaries = selectors.person_summaries(
        [c.person for c in found],
        exclude_organisation=organisation,
        scores={c.person.pk: c for c in found},
    )
    access.log_search(
        request,
        query=" ".join(
            s for s in (request.POST.get("first_name", ""), request.POST.get("surname", "")) if s
        ).strip(),
        found=[s.cpims_id for s in summaries],
    )
    candidates = access.summaries_with_refs(request, summaries)
    return {
        "candidates": candidates,
        "likely": [c for c in candidates if c["level"] == matching.LIKELY],
        "similar": [c for c in candidates if c["level"] != matching.LIKELY],
    }


def _register(request: HttpRequest, *, organisation, template: str) -> HttpResponse:
    """Match first: "check" shows ranked candidates; the clerk links one or registers new
    (giving a reason when someone is probably the same child)."""
    form = PersonForm(request.POST or None)
    context = {
        "form": form,
        "candidates": None,
        "in_workspace": organisation is not None,
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
            if action == "register":
                try:
                    person = services.person_register_checked(
                        **values,
                        birth_date_estimated=form.cleaned_data["birth_date_estimated"],
                        registered_anyway_reason=context["reason"],
                        created_by=request.user,
                        organisation=organisation,
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
            if not access.lookup_allowed(request):
                return _too_many(request)
            found = selectors.person_match_candidates(
                **values, birth_date_estimated=form.cleaned_data["birth_date_estimated"]
            )
            context |= _candidate_context(request, found, organisation=organisation)
        else:
            context["candidates"] = []
    if request.htmx and request.method == "POST":
        return render(request, "shared_registry/_candidates.html", context)
    return render(request, template, context)


def _person_context(request: HttpRequest, cpims_id: str, *, organisation, full: bool) -> dict:
    """Registry managers (``full``) reach anyone; a workspace member only a person their
    organisation holds a record on or one a search just showed them (shared_registry/access.py);
    anyone else is "not found", like an unknown ID. The read is in the access log."""
    person = selectors.person_get_by_cpims_id(cpims_id)
    if person is None or not (
        full
        or access.person_reachable(
            person,
            user=request.user,
            organisation=organisation,
            ref=request.GET.get("ref", ""),
            cpims_id=checkdigit.normalise(cpims_id),
        )
    ):
        raise Http404
    linked = access.person_linked(person, organisation)
    summary = selectors.person_summaries([person], exclude_organisation=organisation)[0]
    show_details = full or linked
    access.log_person_read(request, person, details=show_details)
    return {
        "person": person,
        "summary": summary,
        "linked": linked,
        "show_details": show_details,
        "identifiers": selectors.person_identifiers(person) if show_details else [],
        "merges": selectors.person_merges(person) if full else [],
        "sharing_url": SHARING_REQUEST_URL.format(cpims_id=person.cpims_id),
        "in_workspace": organisation is not None,
    }


# --- in a workspace -------------------------------------------------------------------------
def workspace_search(request: HttpRequest) -> HttpResponse:
    if not _workspace_may(request, Permission.SEARCH_REGISTRY):
        return _forbidden(request)
    if request.GET.get("q", "").strip() and not access.lookup_allowed(request):
        return _too_many(request)
    context = _search_context(request, organisation=request.organisation)
    context["may_register"] = _workspace_may(request, Permission.REGISTER_PERSONS)
    return render(request, "shared_registry/search.html", context)


def workspace_register(request: HttpRequest) -> HttpResponse:
    if not _workspace_may(request, Permission.REGISTER_PERSONS):
        return _forbidden(request)
    return _register(
        request, organisation=request.organisation, template="shared_registry/register.html"
    )


def workspace_person(request: HttpRequest, cpims_id: str) -> HttpResponse:
    if not _workspace_may(request, Permission.SEARCH_REGISTRY):
        return _forbidden(request)
    if not access.lookup_allowed(request):
        return _too_many(request)
    context = _person_context(request, cpims_id, organisation=request.organisation, full=False)
    return render(request, "shared_registry/person.html", context)


# --- on the platform site (registry managers) -----------------------------------------------
@platform_permission_required(Permission.MANAGE_REGISTRY)
def platform_search(request: HttpRequest) -> HttpResponse:
    context = _search_context(request, organisation=None)
    context["may_register"] = True
    if may(request.user, Permission.REVIEW_DUPLICATES):
        context["open_duplicates"] = selectors.potential_duplicates_open().count()
    return render(request, "shared_registry/search.html", context)


@platform_permission_required(Permission.MANAGE_REGISTRY)
def platform_register(request: HttpRequest) -> HttpResponse:
    return _register(request, organisation=None, template="shared_registry/register.html")


@platform_permission_required(Permission.MANAGE_REGISTRY)
def platform_person(request: HttpRequest, cpims_id: str) -> HttpResponse:
    context = _person_context(request, cpims_id, organisation=None, full=True)
    return render(request, "shared_registry/person.html", context)


# --- the registry manager's desk (issue 15) -------------------------------------------------
@platform_permission_required(Permission.REVIEW_DUPLICATES)
def duplicates(request: HttpRequest) -> HttpResponse:
    """The duplicates queue, strongest evidence first, with how many pairs each county holds."""
    q = request.GET.get("q", "").strip()[:100]
    county = request.GET.get("county", "").strip()[:3]
    rows = selectors.potential_duplicates_open(county_code=county)
    if q:
        rows = rows.filter(
            Q(person_a__search_name__icontains=q.lower())
            | Q(person_b__search_name__icontains=q.lower())
        )
    by_county = selectors.potential_duplicates_by_county()
    return render(
        request,
        "shared_registry/duplicates.html",
        {
            "rows": rows[:100],
            "q": q,
            "county": county,
            "by_county": by_county,
            "total": sum(n for _code, _name, n in by_county),
        },
    )


def _decide(request: HttpRequest, duplicate) -> HttpResponse | None:
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")[:1000]
    if action == "dismiss":
        services.potential_duplicate_dismiss(
            duplicate=duplicate, decided_by=request.user, reason=reason
        )
        messages.success(
            request,
            _("%(a)s and %(b)s are not the same person: the pair leaves the queue for good.")
            % {"a": duplicate.person_a.cpims_id, "b": duplicate.person_b.cpims_id},
        )
        return redirect("registry:duplicates")
    if action == "siblings":
        services.potential_duplicate_mark_siblings(
            duplicate=duplicate,
            kind=request.POST.get("kind", ""),
            decided_by=request.user,
            reason=reason,
        )
        messages.success(
            request,
            _("%(a)s and %(b)s recorded as siblings or twins.")
            % {"a": duplicate.person_a.cpims_id, "b": duplicate.person_b.cpims_id},
        )
        return redirect("registry:duplicates")
    if action == "merge":
        merge = services.potential_duplicate_merge(
            duplicate=duplicate,
            keep=request.POST.get("survivor", ""),
            decided_by=request.user,
            reason=reason,
        )
        messages.success(
            request,
            _("Merged %(m)s into %(s)s.")
            % {"m": merge.merged.cpims_id, "s": merge.survivor.cpims_id},
        )
        return redirect("registry:person", cpims_id=merge.survivor.cpims_id)
    return None


@platform_permission_required(Permission.REVIEW_DUPLICATES)
def duplicate_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Side-by-side comparison of a pair, and the decision: merge (with a reason), not the
    same person, or siblings/twins."""
    duplicate = selectors.potential_duplicate_get(pk)
    if duplicate is None:
        raise Http404
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            response = _decide(request, duplicate)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            if response is not None:
                return response
            errors = {"action": [_("Choose a decision.")]}
    side_a, side_b = selectors.duplicate_comparison(duplicate)
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
def merges(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:20]
    rows = selectors.person_merges()
    if q:
        rows = rows.filter(survivor__cpims_id__startswith=q) | rows.filter(
            merged__cpims_id__startswith=q
        )
    return render(request, "shared_registry/merges.html", {"rows": rows[:100], "q": q})


@require_POST
@platform_permission_required(Permission.REVIEW_DUPLICATES)
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    merge = get_object_or_404(PersonMerge, pk=pk)
    try:
        services.person_unmerge(merge=merge, undone_by=request.user)
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
def directory(request: HttpRequest) -> HttpResponse:
    """The directory of organisations, with the CSV imports (directory, KMHFL, NEMIS)."""
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
                report = IMPORTERS[kind](
                    text=text, import_valid_rows=request.POST.get("import_valid_rows") == "on"
                )
    q = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    entries = selectors.directory_search(query=q, kind=kind)[:200]
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
