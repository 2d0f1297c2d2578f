"""Case records link their organisation to the registry persons they name
(shared_registry/links.py); ``persons_with_cases`` is declared in
case_apps/cases/capabilities.py."""

from __future__ import annotations

from collections.abc import Sequence


def persons_with_cases(person_ids: Sequence[int]) -> set[int]:
    """Of ``person_ids``, those named by a case here: as the child or as a caregiver."""
    from case_apps.cases.models import CaseCaregiver, CaseRecord

    children = CaseRecord.objects.filter(child_id__in=person_ids).values_list("child_id", flat=True)
    caregivers = CaseCaregiver.objects.filter(person_id__in=person_ids).values_list(
        "person_id", flat=True
    )
    return set(children) | set(caregivers)
