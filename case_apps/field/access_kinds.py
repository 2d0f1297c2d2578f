"""How the field app's reads appear in the access log: the device's offline bundle (the
member's households and children by name) and the supervisor's queue of waiting forms, each
a list read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from audit.access_kinds import AccessKind

# the record kind this app logs (case_apps/field/selectors.py), its record ids the lists
FIELD_LISTS = "field_lists"
BUNDLE, QUEUE = "bundle", "queue"

# declared in case_apps/field/capabilities.py
ACCESS_KINDS = (AccessKind(FIELD_LISTS, _("Field app lists")),)
