"""Retention of case records (``CASE_RECORDS_KIND``, declared in case_apps/cases/capabilities.py).

A closed or transferred case is kept ``months`` after its closure and, by default, until
the child is 25 (Kenyan practice keeps a child's case file well past 18: the child may
need it as a young adult). The child's age comes from the registry (date of birth, else
year of birth); with neither, the case counts as if the child had been born on the day the
case was reported, which can only keep it longer. Disposal deletes the case with all its
rows (categories, follow-ups, referrals, placements, plans, events, attachments and their
files) and retracts its facts from the national statistics (an outbox event per fact), so
every period's figures stay equal to a recount of the records kept.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.retention import Candidate, disposable_kind

CASE_RECORDS = "case_records"


def _born_before(born_before: datetime.date):
    from shared_registry.models import Person

    return Person.objects.filter(
        Q(date_of_birth__lt=born_before)
        | Q(date_of_birth__isnull=True, birth_year__lt=born_before.year)
    ).values("pk")


def expired_cases(
    ended_before: datetime.date, born_before: datetime.date | None
) -> list[Candidate]:
    """Closed or transferred cases closed before ``ended_before`` whose child was born
    before ``born_before`` (or, age unknown, reported before it)."""
    from case_apps.cases.models import CaseRecord, CaseStatus
    from shared_registry.models import Person

    cases = CaseRecord.objects.filter(
        status__in=[CaseStatus.CLOSED, CaseStatus.TRANSFERRED],
        closed_at__isnull=False,
        closed_at__date__lt=ended_before,
    )
    if born_before is not None:
        unknown_age = Person.objects.filter(date_of_birth__isnull=True, birth_year__isnull=True)
        cases = cases.filter(
            Q(child_id__in=_born_before(born_before))
            | Q(child_id__in=unknown_age.values("pk"), date_reported__lt=born_before)
        )
    return [
        Candidate(pk, reference, closed_at.date())
        for pk, reference, closed_at in cases.order_by("closed_at", "pk").values_list(
            "pk", "national_reference", "closed_at"
        )
    ]


def dispose_cases(ids: Sequence[int], action: str) -> int:
    """Delete the cases and everything under them; attachment files go after commit."""
    from case_apps.cases.facts import case_facts_retract
    from case_apps.cases.models import Attachment, CaseCaregiver, CaseRecord
    from shared_registry.links import person_links_release

    case_facts_retract(
        case_ids=list(CaseRecord.objects.filter(pk__in=ids).values_list("pk", flat=True))
    )
    files = list(Attachment.objects.filter(case_id__in=ids).values_list("file", flat=True))
    persons = set(CaseRecord.objects.filter(pk__in=ids).values_list("child_id", flat=True))
    persons |= set(
        CaseCaregiver.objects.filter(case_id__in=ids).values_list("person_id", flat=True)
    )
    deleted = CaseRecord.objects.filter(pk__in=ids).delete()[1].get("cases.CaseRecord", 0)
    person_links_release(person_ids=persons)  # a link lasts as long as a record

    def remove_files() -> None:
        storage = Attachment._meta.get_field("file").storage
        for name in files:
            if name:
                storage.delete(name)

    transaction.on_commit(remove_files)
    return deleted


CASE_RECORDS_KIND = disposable_kind(
    CASE_RECORDS,
    label=_("closed case records"),
    model="cases.CaseRecord",
    ends=_("closure of the case"),
    default_months=120,
    default_min_age_years=25,
    find=expired_cases,
    dispose=dispose_cases,
    basis=_(
        "Data Protection Act 2019 s.25(g), s.39: kept no longer than needed. Default "
        "for child case files: 10 years after closure and not before the child is 25."
    ),
)
