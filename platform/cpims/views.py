"""Pages of the platform site and the workspace home."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from case_apps.cases.selectors import caseload_summary
from tenants.actor import actor_from_request
from tenants.policy import Permission, may
from tenants.selectors import memberships_of_user
from tenants.services import user_language_set


def health(request: HttpRequest) -> JsonResponse:
    """Liveness probe: answers without touching the database."""
    return JsonResponse({"status": "ok"})


def platform_home(request: HttpRequest) -> HttpResponse:
    memberships = []
    waiting = []
    if request.user.is_authenticated:
        memberships = list(memberships_of_user(user=request.user))
        waiting = _platform_waiting(request)
    context = {
        "memberships": memberships,
        "waiting": waiting,
        "can_verify": request.user.is_authenticated
        and may(request.user, Permission.VERIFY_ORGANISATIONS),
    }
    return render(request, "cpims/platform_home.html", context)


def _platform_waiting(request: HttpRequest) -> list:
    """What waits for this platform user (``Waiting`` lines): the lines the apps declare, by
    what their roles may open (``home_waiting`` in each app's capabilities.py)."""
    from tenants.capabilities import PLATFORM, waiting_for

    def may_open(permission: str) -> bool:
        return may(request.user, Permission(permission))

    return waiting_for(request, PLATFORM, may_open)


def workspace_home(request: HttpRequest) -> HttpResponse:
    summary = None
    if may(
        request.user,
        Permission.VIEW_CASES,
        organisation=request.organisation,
        membership=request.membership,
    ):
        summary = caseload_summary(actor=actor_from_request(request))
    can_record = may(
        request.user,
        Permission.RECORD_CASES,
        organisation=request.organisation,
        membership=request.membership,
    )
    return render(
        request,
        "cpims/workspace_home.html",
        {
            "summary": summary,
            "can_record": can_record,
            "waiting": _workspace_waiting(request),
        },
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF refusal, branded and translated (JSON under /api/); the reason stays in
    the log, not on the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "CSRF check failed: send the form's token."}, status=403)
    return render(request, "errors/csrf_failure.html", status=403)


def _workspace_waiting(request: HttpRequest) -> list:
    """What waits for this member (``Waiting`` lines): the lines the apps serving the
    organisation declare, by what the member's roles may open."""
    from tenants.capabilities import WORKSPACE, waiting_for

    def may_open(permission: str) -> bool:
        return may(
            request.user,
            Permission(permission),
            organisation=request.organisation,
            membership=request.membership,
        )

    return waiting_for(request, WORKSPACE, may_open)


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, remembered for the signed-in user."""
    from django.views.i18n import set_language as django_set_language

    response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response
