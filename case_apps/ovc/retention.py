"""Retention of OVC enrolments and households (``RETENTION_KINDS``, declared in
case_apps/ovc/capabilities.py).

An exited enrolment is kept ``months`` after its exit date and, by default, until the child
is 25. Disposal deletes the enrolment with its services, HIV screenings and management
visits, its case plan lines and adolescent assessments, and retracts its facts from the
national statistics. A household is disposed of (with its
members, CPARA assessments, plan lines and household assessments) only once no enrolment is
left in it, it was registered ``months`` ago and not assessed since.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.retention import Candidate, disposable_kind

OVC_ENROLMENTS = "ovc_enrolments"
OVC_HOUSEHOLDS = "ovc_households"


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
    from case_apps.outbox.services import outbox_retract_under
    from case_apps.ovc.models import Enrolment
    from shared_registry.links import person_links_release

    persons = set(Enrolment.objects.filter(pk__in=ids).values_list("child_id", flat=True))
    for pk in Enrolment.objects.filter(pk__in=ids).values_list("pk", flat=True):
        outbox_retract_under(f"ovc:{pk}:")
    deleted = Enrolment.objects.filter(pk__in=ids).delete()[1].get("ovc.Enrolment", 0)
    person_links_release(person_ids=persons)  # a link lasts as long as a record
    return deleted


def expired_households(
    ended_before: datetime.date, born_before: datetime.date | None
) -> list[Candidate]:
    """Households left with no enrolment (their children's enrolments disposed of, or none
    ever made), registered before ``ended_before`` and not assessed or planned since."""
    from django.db.models import Max

    from case_apps.ovc.models import Household

    households = (
        Household.objects.filter(enrolments__isnull=True, created_at__date__lt=ended_before)
        .annotate(
            last_cpara=Max("cparas__assessed_on"),
            last_wellbeing=Max("wellbeing_assessments__assessed_on"),
        )
        .filter(Q(last_cpara__isnull=True) | Q(last_cpara__lt=ended_before))
        .filter(Q(last_wellbeing__isnull=True) | Q(last_wellbeing__lt=ended_before))
    )
    return [
        Candidate(pk, number, created.date())
        for pk, number, created in households.order_by("created_at", "pk").values_list(
            "pk", "number", "created_at"
        )
    ]


def dispose_households(ids: Sequence[int], action: str) -> int:
    from case_apps.ovc.models import Household, HouseholdMember
    from shared_registry.links import person_links_release

    persons = set(Household.objects.filter(pk__in=ids).values_list("head_id", flat=True))
    persons |= set(
        HouseholdMember.objects.filter(household_id__in=ids).values_list("person_id", flat=True)
    )
    deleted = Household.objects.filter(pk__in=ids).delete()[1].get("ovc.Household", 0)
    person_links_release(person_ids=persons)  # a link lasts as long as a record
    return deleted


ENROLMENTS_KIND = disposable_kind(
    OVC_ENROLMENTS,
    label=_("exited OVC enrolments"),
    model="ovc.Enrolment",
    ends=_("exit from the programme"),
    default_months=84,
    default_min_age_years=25,
    find=expired_enrolments,
    dispose=dispose_enrolments,
    basis=_(
        "Data Protection Act 2019 s.25(g), s.39. Default: 7 years after exit (a common "
        "period for donor-funded programme records) and not before the child is 25."
    ),
)
# after the enrolments (the declared order is the run's order): a household whose last
# enrolment was just disposed of goes in the same run
HOUSEHOLDS_KIND = disposable_kind(
    OVC_HOUSEHOLDS,
    label=_("OVC households without enrolments"),
    model="ovc.Household",
    ends=_("registration of the household (and its last assessment)"),
    default_months=84,
    default_min_age_years=None,
    find=expired_households,
    dispose=dispose_households,
    basis=_(
        "Data Protection Act 2019 s.25(g), s.39. Default: a household with no "
        "enrolment left, registered and last assessed more than 7 years ago."
    ),
)
RETENTION_KINDS = (ENROLMENTS_KIND, HOUSEHOLDS_KIND)
