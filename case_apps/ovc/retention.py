"""Retention of OVC enrolments (registered with ``audit.retention`` from OvcConfig.ready).

An exited enrolment is kept ``months`` after its exit date and, by default, until the child
is 25. Disposal deletes the enrolment with its services, HIV screenings and management
visits, its case plan lines and adolescent assessments. The household, its members and its
household-level assessments are kept: other children of the household may still be enrolled.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.retention import Candidate

OVC_ENROLMENTS = "ovc_enrolments"


def expired_enrolments(
    ended_before: datetime.date, born_before: datetime.date | None
) -> list[Candidate]:
    from case_apps.ovc.models import Enrolment, EnrolmentStatus
    from shared_registry.models import Person

    enrolments = Enrolment.objects.filter(
        status=EnrolmentStatus.EXITED, exit_date__isnull=False, exit_date__lt=ended_before
    )
    if born_before is not None:
        born = Person.objects.filter(
            Q(date_of_birth__lt=born_before)
            | Q(date_of_birth__isnull=True, birth_year__lt=born_before.year)
        )
        unknown_age = Person.objects.filter(date_of_birth__isnull=True, birth_year__isnull=True)
        enrolments = enrolments.filter(
            Q(child_id__in=born.values("pk"))
            | Q(child_id__in=unknown_age.values("pk"), registration_date__lt=born_before)
        )
    return [
        Candidate(pk, f"OVC {pk} ({number})", exit_date)
        for pk, number, exit_date in enrolments.order_by("exit_date", "pk").values_list(
            "pk", "household__number", "exit_date"
        )
    ]


def dispose_enrolments(ids: Sequence[int], action: str) -> int:
    from case_apps.ovc.models import Enrolment

    return Enrolment.objects.filter(pk__in=ids).delete()[1].get("ovc.Enrolment", 0)


def register() -> None:
    from audit.retention import register_disposable_kind

    register_disposable_kind(
        OVC_ENROLMENTS, label=_("exited OVC enrolments"), model="ovc.Enrolment",
        ends=_("exit from the programme"), default_months=84, default_min_age_years=25,
        find=expired_enrolments, dispose=dispose_enrolments,
        basis=_("Data Protection Act 2019 s.25(g), s.39. Default: 7 years after exit (a common "
                "period for donor-funded programme records) and not before the child is 25."),
    )  # fmt: skip
