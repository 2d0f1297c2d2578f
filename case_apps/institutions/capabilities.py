"""What institutions bring to the platform (tenants/capabilities.py): statutory institutions
and charitable children's institutions run their residents here (issue 19).

Each subject declares its own parts below; ``CAPABILITY`` puts them together.
"""

from django.utils.translation import gettext_lazy as _

from tenants.capabilities import ApiRouter, Capability, EventType, HomeWaiting, Mount, NavEntry

INSTITUTION_KINDS = ("statutory_institution", "cci")

# --- admissions and discharge -------------------------------------------------------------------
ADMISSIONS_NAVIGATION: tuple[NavEntry, ...] = ()
ADMISSIONS_API = (ApiRouter("case_apps.institutions.api_admissions.router"),)
ADMISSIONS_EVENTS = (EventType("resident_admitted"), EventType("resident_discharged"))
ADMISSIONS_WAITING: tuple[HomeWaiting, ...] = ()
ADMISSIONS_TIMELINE_SOURCES = ("case_apps.institutions.selectors_admissions.admissions_timeline",)
ADMISSIONS_TIMELINE_PRESENTERS = (
    "case_apps.institutions.presenters_admissions.ADMISSION_TIMELINE_PRESENTERS",
)

# --- residents register, capacity, population, the morning lists --------------------------------
RESIDENTS_NAVIGATION = (NavEntry(_("Residents"), "institutions:residents", order=15),)
RESIDENTS_API = (ApiRouter("case_apps.institutions.api_residents.router"),)
RESIDENTS_EVENTS: tuple[EventType, ...] = ()
RESIDENTS_WAITING = (
    HomeWaiting("case_apps.institutions.views_residents.residents_waiting", "view_cases", order=22),
)

# --- statutory institution vacancies (the application is sharing's: sharing/models_vacancies.py) -
VACANCIES_NAVIGATION: tuple[NavEntry, ...] = ()
VACANCIES_API = (ApiRouter("case_apps.institutions.api_vacancies.router"),)
# the applying office's case timeline: applied, decided, withdrawn, admitted
VACANCIES_TIMELINE_SOURCES = ("case_apps.institutions.timeline_vacancies.vacancies_timeline",)
VACANCIES_TIMELINE_PRESENTERS = (
    "case_apps.institutions.timeline_vacancies.VACANCY_TIMELINE_PRESENTERS",
)
VACANCIES_WAITING = (
    HomeWaiting(
        "case_apps.institutions.capabilities.expected_admissions", "record_cases", order=30
    ),
)


def expected_admissions(request) -> list:
    """A statutory institution's home: vacancies DCS headquarters confirmed to it."""
    from django.urls import reverse
    from django.utils.translation import ngettext

    from sharing.selectors_vacancies import vacancies_expected
    from tenants.actor import actor_from_request
    from tenants.capabilities import waiting_count

    count = vacancies_expected(actor=actor_from_request(request)).count()
    message = ngettext(
        "Expected admissions: %(n)s child confirmed by DCS headquarters",
        "Expected admissions: %(n)s children confirmed by DCS headquarters",
        count,
    )
    url = reverse("institutions:vacancies_expected")
    return waiting_count(count, message, url)


# --- life in the institution --------------------------------------------------------------------
LIFE_API = (ApiRouter("case_apps.institutions.api_life.router"),)
LIFE_EVENTS: tuple[EventType, ...] = ()
# the case timeline: leaves, adverse events, education, conferences, care plans and reviews
LIFE_TIMELINE_SOURCES = ("case_apps.institutions.selectors_life.life_timeline",)
LIFE_TIMELINE_PRESENTERS = ("case_apps.institutions.presenters_life.LIFE_TIMELINE_PRESENTERS",)

# --- the access log: reads of admissions, the register, the vacancy lists ---------------------
ACCESS_KINDS = ("case_apps.institutions.access_kinds.ACCESS_KINDS",)

CAPABILITY = Capability(
    app="case_apps.institutions",
    organisation_kinds=frozenset(INSTITUTION_KINDS),
    navigation=ADMISSIONS_NAVIGATION + RESIDENTS_NAVIGATION + VACANCIES_NAVIGATION,
    urls=(Mount("institution/", "case_apps.institutions.urls"),),
    api_routers=ADMISSIONS_API + RESIDENTS_API + LIFE_API + VACANCIES_API,
    event_types=ADMISSIONS_EVENTS + RESIDENTS_EVENTS + LIFE_EVENTS,
    home_waiting=ADMISSIONS_WAITING + RESIDENTS_WAITING + VACANCIES_WAITING,
    timeline_sources=ADMISSIONS_TIMELINE_SOURCES
    + LIFE_TIMELINE_SOURCES
    + VACANCIES_TIMELINE_SOURCES,
    timeline_presenters=ADMISSIONS_TIMELINE_PRESENTERS
    + LIFE_TIMELINE_PRESENTERS
    + VACANCIES_TIMELINE_PRESENTERS,
    access_kinds=ACCESS_KINDS,
)
