"""What field capture brings (issue 21): the offline app, its sync API, the supervisors'
queue, the administrators' devices screen and the home lines of what waits."""

from django.utils.translation import gettext_lazy as _

from tenants.capabilities import ApiRouter, Capability, HomeWaiting, Mount, NavEntry

CAPABILITY = Capability(
    app="case_apps.field",
    navigation=(
        NavEntry(_("Field forms"), "field:queue", permission="supervise_cases", order=31),
        NavEntry(_("Field devices"), "field:devices", permission="manage_members", order=32),
    ),
    urls=(Mount("field/", "case_apps.field.urls"),),
    api_routers=(ApiRouter("case_apps.field.api.router"),),
    home_waiting=(
        HomeWaiting("case_apps.field.views.forms_to_decide", "supervise_cases", order=26),
        HomeWaiting("case_apps.field.views.forms_waiting", "record_cases", order=27),
    ),
    access_kinds=("case_apps.field.access_kinds.ACCESS_KINDS",),
)
