"""Services delivered to an enrolled child (Form 1A): the screen."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from case_apps.ovc import services
from case_apps.ovc.forms import ServiceForm
from case_apps.ovc.views_common import actor, enrolment_form, ovc_permission
from tenants.policy import Permission


@ovc_permission(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def service_add(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    def save(enrolment, data):
        services.service_record(actor=actor(request), enrolment=enrolment, **data)

    return enrolment_form(
        request,
        enrolment_id,
        ServiceForm,
        save,
        _("Record a service"),
        _("Service recorded for %(child)s."),
    )
