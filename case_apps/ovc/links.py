"""OVC records link their organisation to the registry persons they name
(shared_registry/links.py); ``persons_with_ovc_records`` is declared in
case_apps/ovc/capabilities.py."""

from __future__ import annotations

from collections.abc import Sequence


def persons_with_ovc_records(person_ids: Sequence[int]) -> set[int]:
    """Of ``person_ids``, those enrolled here, heading a household or members of one."""
    from case_apps.ovc.models import Enrolment, Household, HouseholdMember

    enrolled = Enrolment.objects.filter(child_id__in=person_ids).values_list("child_id", flat=True)
    heads = Household.objects.filter(head_id__in=person_ids).values_list("head_id", flat=True)
    members = HouseholdMember.objects.filter(person_id__in=person_ids).values_list(
        "person_id", flat=True
    )
    return set(enrolled) | set(heads) | set(members)
