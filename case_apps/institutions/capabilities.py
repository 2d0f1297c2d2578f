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

# --- life in the institution --------------------------------------------------------------------
LIFE_API = (ApiRouter("case_apps.institutions.api_life.router"),)
LIFE_EVENTS: tuple[EventType, ...] = ()
# the case timeline: leaves, adverse events, education, conferences, care plans and reviews
LIFE_TIMELINE_SOURCES = ("case_apps.institutions.selectors_life.life_timeline",)
LIFE_TIMELINE_PRESENTERS = ("case_apps.institutions.presenters_life.LIFE_TIMELINE_PRESENTERS",)

CAPABILITY = Capability(
    app="case_apps.institutions",
    organisation_kinds=frozenset(INSTITUTION_KINDS),
    navigation=ADMISSIONS_NAVIGATION + RESIDENTS_NAVIGATION,
    urls=(Mount("institution/", "case_apps.institutions.urls"),),
    api_routers=ADMISSIONS_API + RESIDENTS_API + LIFE_API,
    event_types=ADMISSIONS_EVENTS + RESIDENTS_EVENTS + LIFE_EVENTS,
    home_waiting=ADMISSIONS_WAITING + RESIDENTS_WAITING,
    timeline_sources=ADMISSIONS_TIMELINE_SOURCES + LIFE_TIMELINE_SOURCES,
    timeline_presenters=ADMISSIONS_TIMELINE_PRESENTERS + LIFE_TIMELINE_PRESENTERS,
)
