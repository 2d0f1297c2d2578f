"""The exit screen (graduation, a transfer to another partner or another exit reason)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from case_apps.ovc import selectors, selectors_transfers, services
from case_apps.ovc.forms import ExitForm
from case_apps.ovc.views_common import actor, form_view, ovc_permission
from tenants.policy import Permission


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def exit_record(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """Exit the child; a transfer to a PEPFAR partner names the partner from the list of
    active implementing partners."""
    who = actor(request)
    enrolment = selectors.enrolment_get(actor=who, enrolment_id=enrolment_id)
    receivers = [(o.pk, o.name) for o in selectors_transfers.transfer_receivers(actor=who)]

    def save(data):
        services.enrolment_exit(actor=who, enrolment=enrolment, **data)

    return form_view(
        request,
        ExitForm(request.POST or None, receivers=receivers),
        "ovc/form.html",
        save,
        _("%(child)s exited the programme."),
        reverse("ovc:enrolment", args=[enrolment.pk]),
        {
            "household": enrolment.household,
            "enrolment": enrolment,
            "title": _("Exit the programme"),
        },
    )
