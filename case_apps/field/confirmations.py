"""What the web app says of a form typed by staff that waits for a supervisor's approval
(case_apps/field/services_staff.py); its own module, so that the OVC screens' shared flow
can import it without the field kinds (which import the OVC API)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

WAITING_MESSAGE = gettext_lazy("Saved: it waits for a supervisor's approval before it counts.")
