"""The exit screen (graduation or another exit reason)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from case_apps.ovc import services
from case_apps.ovc.forms import (
    ExitForm,
)
from case_apps.ovc.views_common import (
    actor,
    enrolment_form,
    ovc_permission,
)
from tenants.policy import Permission


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def exit_record(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    def save(enrolment, data):
        services.enrolment_exit(actor=actor(request), enrolment=enrolment, **data)

    return enrolment_form(
        request,
        enrolment_id,
        ExitForm,
        save,
        _("Exit the programme"),
        _("%(child)s exited the programme."),
    )
