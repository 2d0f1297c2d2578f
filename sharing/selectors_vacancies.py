"""Reads of vacancy applications, always as one of the three sides.

The applying office sees its own applications (the case app narrows them further to the
cases the member sees); DCS headquarters (``confirm_vacancies``) sees every application;
an institution sees only the applications confirmed to it (and admitted there), with the
child's registry identity, the court details, the months approved and the applicant office
and officer: nothing more of the applicant's case.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from audit.services import access_record
from shared_registry import names
from shared_registry.access import RECORD_KIND_PERSON
from sharing.access_kinds import VACANCY_QUEUE
from sharing.models_vacancies import InstitutionType, VacancyApplication, VacancyStatus
from tenants.actor import Actor, NotFound
from tenants.models import Organisation, OrganisationKind, OrganisationStatus
from tenants.policy import Permission

SEARCH_MAX = 100
APPLICANT, DCS, INSTITUTION = "applicant", "dcs", "institution"
DCS_OFFICE_KINDS = (OrganisationKind.DCS_COUNTY_OFFICE, OrganisationKind.DCS_SUB_COUNTY_OFFICE)
INSTITUTION_STATUSES = (VacancyStatus.CONFIRMED, VacancyStatus.ADMITTED)


def applies_for_vacancies(organisation: Organisation | None) -> bool:
    """Whether the organisation is a DCS county or sub-county office (those that apply)."""
    return organisation is not None and organisation.kind in DCS_OFFICE_KINDS


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _base() -> QuerySet[VacancyApplication]:
    return VacancyApplication.objects.select_related(
        "applicant", "person", "institution", "decided_by", "created_by"
    )


def _search(applications: QuerySet, search: str) -> QuerySet:
    term = (search or "").strip()[:SEARCH_MAX]
    if not term:
        return applications
    compact = term.replace("-", "").replace(" ", "")
    if compact.isdigit():
        return applications.filter(
            Q(person__cpims_id=compact) | Q(court_number__icontains=term) | Q(pk=_int(compact))
        )
    words = names.tokens(term)
    by_name = Q()
    for word in words:
        by_name &= Q(person__search_name__contains=word)
    return applications.filter(
        (by_name if words else Q(pk__in=[]))
        | Q(court_number__icontains=term)
        | Q(court__icontains=term)
        | Q(applicant__name__icontains=term)
    )


def _filtered(applications: QuerySet, status: str, search: str) -> QuerySet:
    if status in VacancyStatus.values:
        applications = applications.filter(status=status)
    return _search(applications, search)


def vacancies_of_office(*, actor: Actor, status: str = "", search: str = "") -> QuerySet:
    """The applications of the actor's office, newest first."""
    own = actor.organisation
    if not applies_for_vacancies(own) or not actor.may(Permission.VIEW_CASES):
        return VacancyApplication.objects.none()
    return _filtered(_base().filter(applicant=own), status, search)


def vacancy_queue(*, status: str = VacancyStatus.APPLIED, search: str = "") -> QuerySet:
    """DCS headquarters' queue: by status (waiting for a decision by default), the oldest
    first (every status when ``status`` is "all")."""
    applications = _base().order_by("created_at", "id")
    if status != "all":
        applications = applications.filter(
            status=status if status in VacancyStatus.values else VacancyStatus.APPLIED
        )
    return _search(applications, search)


def vacancy_queue_open(
    *,
    actor: Actor,
    status: str = VacancyStatus.APPLIED,
    search: str = "",
    purpose: str = "vacancy queue",
    request: HttpRequest | None = None,
) -> QuerySet:
    """HQ's queue as the console and the platform API read it (children by name): one entry
    in the platform's access log per list read, with the status and the search."""
    actor.require(Permission.CONFIRM_VACANCIES)
    applications = vacancy_queue(status=status, search=search)
    search = search.strip()[:64]
    access_record(
        actor=actor.user,
        record_kind=VACANCY_QUEUE,
        record_id=status or VacancyStatus.APPLIED,
        purpose=f"{purpose}: q={search}" if search else purpose,
        membership=actor.membership,
        request=request,
    )
    return applications


def vacancies_expected(*, actor: Actor, status: str = "", search: str = "") -> QuerySet:
    """The applications confirmed to the actor's institution (then admitted there), the
    next mention first."""
    own = actor.organisation
    if own is None or not actor.may(Permission.VIEW_CASES):
        return VacancyApplication.objects.none()
    applications = _base().filter(institution=own, status__in=INSTITUTION_STATUSES)
    if status not in INSTITUTION_STATUSES:
        status = VacancyStatus.CONFIRMED
    return _filtered(applications, status, search).order_by("next_mention_on", "id")


def vacancy_side(actor: Actor, application: VacancyApplication) -> str:
    """Which side the actor acts for: the applying office, the institution or HQ."""
    own = actor.organisation
    if own is not None and application.applicant_id == own.pk:
        return APPLICANT
    if own is not None and application.institution_id == own.pk:
        return INSTITUTION
    if own is None and actor.may(Permission.CONFIRM_VACANCIES):
        return DCS
    return ""


def vacancy_get(*, actor: Actor, application_id) -> VacancyApplication:
    """An application the actor's side sees; ``NotFound`` otherwise, like a missing one:
    the applying office's members who view cases, the institution it was confirmed to, or
    DCS headquarters on the platform site."""
    if isinstance(application_id, VacancyApplication):
        application_id = application_id.pk
    pk = _int(application_id)
    if pk is None:
        raise NotFound
    own = actor.organisation
    if own is None:
        if not actor.may(Permission.CONFIRM_VACANCIES):
            raise NotFound
        found = _base().filter(pk=pk).first()
    elif not actor.may(Permission.VIEW_CASES):
        raise NotFound
    else:
        found = (
            _base()
            .filter(Q(applicant=own) | Q(institution=own, status__in=INSTITUTION_STATUSES), pk=pk)
            .first()
        )
    if found is None:
        raise NotFound
    return found


def vacancy_open(
    *, actor: Actor, application_id, request: HttpRequest | None = None
) -> VacancyApplication:
    """An application's page: fetched as the actor, the read of the child's registry
    identity logged in the access log of the schema read (the platform's for HQ)."""
    application = vacancy_get(actor=actor, application_id=application_id)
    access_record(
        actor=actor.user,
        record_kind=RECORD_KIND_PERSON,
        record_id=application.person.cpims_id,
        purpose="Vacancy application",
        membership=actor.membership,
        request=request,
    )
    return application


def vacancy_history(application: VacancyApplication) -> QuerySet:
    """The steps of an application, oldest first."""
    return application.events.select_related("actor").order_by("occurred_at", "id")


def institution_choices(*, wanted: str = "", search: str = "") -> list[Organisation]:
    """The active statutory institutions HQ may confirm to: those of the wanted type first
    (by the organisation's ``type_code`` when it carries one), then the others."""
    institutions = Organisation.objects.filter(
        kind=OrganisationKind.STATUTORY_INSTITUTION, status=OrganisationStatus.ACTIVE
    ).order_by("name", "id")
    term = (search or "").strip()[:SEARCH_MAX]
    if term:
        institutions = institutions.filter(name__icontains=term)
    found = list(institutions[:500])
    return sorted(found, key=lambda o: institution_type_of(o) != wanted)


def institution_type_of(organisation: Organisation) -> str:
    """The statutory institution type of an organisation ('' when none is recorded)."""
    code = getattr(organisation, "type_code", "") or ""
    return code if code in InstitutionType.values else ""


def child_age(person, on: date | None = None) -> int | None:
    """The child's age in whole years (from the year of birth when the day is unknown)."""
    on = on or timezone.localdate()
    if person.date_of_birth is not None:
        born = person.date_of_birth
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return on.year - person.birth_year if person.birth_year else None
