"""What the outbound webhooks bring: organisation administrators subscribe URLs to events
(tenants/capabilities.py); the sweeper sends the retries that fall due."""

from django.utils.translation import gettext_lazy as _

from tenants.capabilities import ApiRouter, Capability, Grant, Mount, NavEntry, PeriodicTask
from tenants.models import Role

CAPABILITY = Capability(
    app="webhooks",
    permissions=(
        # issue 20: an organisation's administrators subscribe its systems to events
        Grant("manage_webhooks", roles=(Role.ORGANISATION_ADMIN,), flag="can_manage_webhooks"),
    ),
    navigation=(NavEntry(_("Webhooks"), "webhooks:list", permission="manage_webhooks", order=95),),
    urls=(Mount("organisation/webhooks/", "webhooks.urls_workspace"),),
    api_routers=(ApiRouter("webhooks.api.router"),),
    periodic_tasks=(
        # retries (exponential backoff) and any delivery whose first task was lost
        PeriodicTask("webhook-deliveries", "webhooks.sweep", 15, "CPIMS_WEBHOOKS_SWEEP_SECONDS"),
    ),
)
