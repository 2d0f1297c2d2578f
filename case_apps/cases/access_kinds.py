"""How case management's reads appear in the access log: the kinds by name, a case by its
reference and a child by name, each linked to its page when the log is a workspace's."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit.access_kinds import AccessKind


def _ints(ids: list[str]) -> list[int]:
    return [int(i) for i in ids if i.isdigit()]


def describe_cases(ids: list[str], scope: str) -> dict[str, tuple[str, str]]:
    """Case id -> (reference, case page); only a workspace's own log holds its cases."""
    from case_apps.cases.models import CaseRecord

    if scope != "workspace":
        return {}
    rows = CaseRecord.objects.filter(pk__in=_ints(ids)).values_list("pk", "national_reference")
    return {str(pk): (ref, reverse("cases:detail", args=[pk])) for pk, ref in rows}


def describe_children(ids: list[str], scope: str) -> dict[str, tuple[str, str]]:
    """Registry person id -> (name, the child's page in a workspace)."""
    from shared_registry.models import Person

    found = {}
    for person in Person.objects.filter(pk__in=_ints(ids)):
        url = reverse("cases:child", args=[person.pk]) if scope == "workspace" else ""
        found[str(person.pk)] = (person.full_name, url)
    return found


def describe_persons_by_cpims_id(ids: list[str], scope: str) -> dict[str, tuple[str, str]]:
    """CPIMS person ID -> (name, the child's page in a workspace)."""
    from shared_registry.models import Person

    found = {}
    for person in Person.objects.filter(cpims_id__in=ids):
        url = reverse("cases:child", args=[person.pk]) if scope == "workspace" else ""
        found[person.cpims_id] = (f"{person.full_name} ({person.cpims_id_display})", url)
    return found


def describe_attachments(ids: list[str], scope: str) -> dict[str, tuple[str, str]]:
    from case_apps.cases.models import Attachment

    if scope != "workspace":
        return {}
    rows = Attachment.objects.filter(pk__in=_ints(ids)).values_list("pk", "title", "case_id")
    return {str(pk): (title, reverse("cases:detail", args=[case])) for pk, title, case in rows}


# declared in case_apps/cases/capabilities.py
ACCESS_KINDS = (
    AccessKind("case", _("case"), describe_cases),
    AccessKind("child", _("child"), describe_children),
    AccessKind("attachment", _("document"), describe_attachments),
    AccessKind("case_summary", _("case summary"), describe_persons_by_cpims_id),
    AccessKind("referral_summary", _("referral summary"), describe_persons_by_cpims_id),
    AccessKind("consent", _("consent"), describe_persons_by_cpims_id),
    AccessKind("caseload_export", _("caseload export")),
    AccessKind("summons", _("summons document")),  # case_apps/cases/selectors_court.py
)
