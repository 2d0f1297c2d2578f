"""How sharing's reads appear in the access log (declared in sharing/capabilities.py): DCS
headquarters' vacancy queue, a list of children by name, as one list read."""

from django.utils.translation import gettext_lazy as _

from audit.access_kinds import AccessKind

VACANCY_QUEUE = "vacancy_queue"  # record id: the queue's status ("applied", "all", ...)

ACCESS_KINDS = (AccessKind(VACANCY_QUEUE, _("Vacancy applications queue")),)
