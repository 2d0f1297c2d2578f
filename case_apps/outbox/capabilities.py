"""What the event stream brings to the platform (tenants/capabilities.py): the organisation's
own events, read from a cursor by its administrators' systems (docs/architecture.md)."""

from tenants.capabilities import ApiRouter, Capability, Grant
from tenants.models import Role

CAPABILITY = Capability(
    app="case_apps.outbox",
    permissions=(Grant("read_event_stream", roles=(Role.ORGANISATION_ADMIN,)),),
    api_routers=(ApiRouter("case_apps.outbox.api.router"),),
)
