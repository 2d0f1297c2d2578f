"""What alternative family care brings to the platform (tenants/capabilities.py): foster
care, guardianship, kinship, kafaala, adoption and supported independent living, recorded by
DCS offices, institutions and NGOs (issue 19)."""

from django.utils.translation import gettext_lazy as _

from tenants.capabilities import ApiRouter, Capability, Mount, NavEntry

FAMILY_CARE_KINDS = (
    "dcs_county_office",
    "dcs_sub_county_office",
    "statutory_institution",
    "cci",
    "ngo",
)

CAPABILITY = Capability(
    app="case_apps.family_care",
    organisation_kinds=frozenset(FAMILY_CARE_KINDS),
    navigation=(NavEntry(_("Family care"), "family_care:list", order=18),),
    urls=(Mount("family-care/", "case_apps.family_care.urls"),),
    api_routers=(ApiRouter("case_apps.family_care.api.router"),),
    timeline_sources=("case_apps.family_care.selectors.family_care_timeline",),
    timeline_presenters=("case_apps.family_care.presenters.FAMILY_CARE_TIMELINE_PRESENTERS",),
    access_kinds=("case_apps.family_care.access_kinds.ACCESS_KINDS",),
)
