"""Reads of the OVC programme."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from case_apps.ovc.models import Cpara, Enrolment, Household
from shared_registry import names
from shared_registry.models import Person


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def household_list(*, search: str = "") -> QuerySet[Household]:
    """Households, newest first; search by household number, village, CPIMS ID or the name
    of the head or of any member."""
    households = Household.objects.select_related("head")
    term = (search or "").strip()[:100]
    if not term:
        return households
    compact = term.replace("-", "").replace(" ", "")
    if compact.isdigit():
        people = Person.objects.filter(cpims_id=compact).values("pk")
    else:
        words = names.tokens(term)
        people = Person.objects.all() if words else Person.objects.none()
        for word in words:
            people = people.filter(search_name__contains=word)
        people = people.values("pk")
    return households.filter(
        Q(number__icontains=term) | Q(village__icontains=term) | Q(members__person__in=people)
    ).distinct()


def household_get(*, household_id) -> Household | None:
    pk = _int(household_id)
    return None if pk is None else Household.objects.select_related("head").filter(pk=pk).first()


def enrolment_get(*, enrolment_id) -> Enrolment | None:
    pk = _int(enrolment_id)
    if pk is None:
        return None
    return (
        Enrolment.objects.select_related("child", "household", "household__head")
        .filter(pk=pk)
        .first()
    )


def person_get(*, person_id) -> Person | None:
    pk = _int(person_id)
    return None if pk is None else Person.objects.filter(pk=pk, merged_into__isnull=True).first()


def cpara_latest(*, household: Household) -> Cpara | None:
    return household.cparas.order_by("-assessed_on", "-id").first()
