"""Request-level protections: who did what (auditlog context)."""

from __future__ import annotations

from auditlog.middleware import AuditlogMiddleware


class AuditMiddleware(AuditlogMiddleware):
    """auditlog's middleware, also recording the organisation and the request on each entry."""

    def get_extra_data(self, request):
        context_data = super().get_extra_data(request)
        organisation = getattr(request, "organisation", None)
        membership = getattr(request, "membership", None)
        context_data["additional_data"] = {
            "organisation": organisation.slug if organisation else None,
            "membership": membership.pk if membership else None,
            "method": request.method,
            "path": request.path[:500],
        }
        return context_data
