"""How the statistics app's reads appear in the access log (declared in
national_statistics/capabilities.py)."""

from django.utils.translation import gettext_lazy as _

from audit.access_kinds import AccessKind

STATISTICS_EXPORT = AccessKind("statistics_export", _("statistics export"))
