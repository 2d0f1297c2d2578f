"""How an institution's reads appear in the access log: an admission by its child's name,
linked to the admission page (the page, its life records and their API reads are all logged
against the admission); the residents register and the vacancy lists as list reads."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from audit.access_kinds import AccessKind

# the record kinds this app logs (case_apps/institutions/selectors_*.py)
ADMISSION = "institution_admission"
RESIDENTS = "institution_residents"  # the register, its API list, the morning lists
RESIDENTS_EXPORT = "residents_export"
VACANCIES = "institution_vacancies"  # the office's applications, the institution's expected


def _ints(ids: list[str]) -> list[int]:
    return [int(i) for i in ids if i.isdigit()]


def _admission_url(admission) -> str:
    try:
        return reverse("institutions:admission", args=[admission.pk])
    except NoReverseMatch:
        return reverse("cases:detail", args=[admission.case_id])


def describe_admissions(ids: list[str], scope: str) -> dict[str, tuple[str, str]]:
    """Each admission by its child's name, linked to the admission page (in the workspace
    that holds it; the platform's log has no admissions)."""
    from case_apps.institutions.models import Admission

    if scope != "workspace":
        return {}
    found = {}
    for admission in Admission.objects.filter(pk__in=_ints(ids)).select_related("case__child"):
        found[str(admission.pk)] = (admission.case.child.full_name, _admission_url(admission))
    return found


# declared in case_apps/institutions/capabilities.py
ACCESS_KINDS = (
    AccessKind(ADMISSION, _("Institution admission"), describe_admissions),
    AccessKind(RESIDENTS, _("Residents list")),
    AccessKind(RESIDENTS_EXPORT, _("Residents export")),
    AccessKind(VACANCIES, _("Vacancy applications list")),
)
