"""The OVC programme's questionnaires and the codes its rules name.

The coded lists themselves (programmes, eligibility, HIV and ART status, school levels,
member types, domains, exit reasons...) are national lists in the ``lists`` app
(``case_apps/lists/data_ovc.py``, list names ``ovc_*``): the lists screen manages them and
the services check codes against them (``case_apps.lists.checks.CodeChecks``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from case_apps.lists.data_ovc import OVC_LISTS

# The case plan's domain codes of CPIMS, per CPARA domain
CASE_PLAN_DOMAIN_CODES = {
    "healthy": "DHNU",
    "stable": "DHES",
    "safe": "DPRO",
    "schooled": "DEDU",
}
# Exit reasons; ERCP (graduation) appears only in CPIMS' code, kept as it is there.
GRADUATION = "ERCP"
# The exit reasons' codes and English labels as loaded into the national list, for the
# national statistics' fixed report rows (national_statistics/definitions.py).
EXIT_REASONS = [(code, label) for code, label, _sw in OVC_LISTS["ovc_exit_reason"]]
# HIV risk screening questions: (key, label, who it applies to)
RISK_QUESTIONS = [
    ("parent_hiv", _("A parent or sibling lives with HIV"), "child"),
    ("persistently_sick", _("Persistently sick or malnourished"), "all"),
    ("tb_12_months", _("TB in the last 12 months"), "adolescent"),
    ("sexual_abuse", _("Sexually abused"), "all"),
    ("traditional_procedures", _("Traditional procedures (scarification, circumcision)"), "child"),
    ("unprotected_sex", _("Unprotected sex in the last 6 months"), "adolescent"),
    ("sti_symptoms", _("STI symptoms"), "adolescent"),
    ("shared_needles", _("Shared needles"), "adolescent"),
]


# Wellbeing assessments (household WBG, adolescent WBGA): (key, domain, question); a "yes"
# is the good answer. The adolescent form adds its own questions to the household's.
WELLBEING_HOUSEHOLD = [
    ("basic_needs", "stable", _("The household can meet its basic needs")),
    ("income_savings", "stable", _("The household has an income or savings")),
    ("copes_with_shocks", "stable", _("The household copes with shocks without selling assets")),
    ("enough_food", "stable", _("The household had enough food last month")),
    ("health_services", "healthy", _("Members who need health or disability services get them")),
    ("hiv_known_on_art", "healthy", _("Everyone knows their HIV status; those on ART take it")),
    ("no_stigma", "healthy", _("No member faces stigma for their HIV status")),
    ("trusted_adult", "safe", _("Children have a trusted adult to turn to")),
    ("parenting_information", "safe", _("The caregiver has parenting information")),
    ("no_violence", "safe", _("No violence at home, or it was referred and served")),
    ("no_harsh_punishment", "safe", _("Children are not punished harshly")),
    ("birth_certificates", "safe", _("Every child has a birth certificate")),
    ("enrolled", "schooled", _("School-age children are enrolled")),
    ("attending", "schooled", _("They attend school regularly")),
    ("progressing", "schooled", _("They progress to the next class")),
]
WELLBEING_ADOLESCENT = WELLBEING_HOUSEHOLD + [
    ("not_ill", "healthy", _("The adolescent reports no illness")),
    ("hiv_knowledge", "healthy", _("The adolescent knows how HIV is passed on and prevented")),
    ("caregiver_support", "stable", _("The adolescent feels supported by the caregiver")),
    ("no_older_gifts", "safe", _("No older friend gives the adolescent gifts")),
    ("no_sexual_abuse", "safe", _("The adolescent has not been sexually abused")),
]
