"""The OVC programme's codes, as the national CPIMS OVC system (cpims-ovc-3.0) uses them.

Each list is (code, label) pairs; codes are opaque and stored as they are in CPIMS.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PROGRAMMES = [
    ("POVC", _("Comprehensive OVC")),
    ("PDRE", _("DREAMS")),
    ("PPRE", _("Preventive (Families Matter!, Sinovuyo, CBIM, HCBF)")),
    ("POTH", _("Other")),
]
ELIGIBILITY = [
    ("ECFD", _("Father dead")),
    ("ECMD", _("Mother dead")),
    ("ECMF", _("Both parents dead")),
    ("ECCP", _("Child living with HIV")),
    ("ECHV", _("HIV-affected household")),
    ("ECHO", _("Household took in orphans")),
    ("ECLI", _("Child in an institution")),
    ("ECLS", _("Child on the street")),
    ("ECCH", _("Child-headed household")),
    ("ECEC", _("Caregiver aged 60 or over")),
    ("ECMS", _("Marginalised")),
    ("ECHEI", _("HIV-exposed infant")),
    ("ECPPA", _("HIV-positive pregnant adolescent")),
    ("ECNPA", _("HIV-negative pregnant adolescent")),
    ("ECBFA", _("HIV-negative breastfeeding adolescent")),
]
HIV_STATUS = [
    ("HSTP", _("Positive")),
    ("HSTN", _("Negative")),
    ("HSKN", _("Unknown")),
    ("HHEI", _("HIV-exposed infant, status unknown")),
]
ART_STATUS = [("ARAR", _("On ART")), ("ARPR", _("On prophylaxis")), ("ARUK", _("Unknown"))]
SCHOOL_LEVEL = [
    ("SLNS", _("Not in school")),
    ("SLEC", _("ECDE")),
    ("SLPR", _("Primary")),
    ("SLSE", _("Secondary")),
    ("SLUN", _("University")),
    ("SLTV", _("Vocational / TVET")),
]
IMMUNISATION = [
    ("IMFU", _("Fully immunised")),
    ("IMNC", _("Not completed")),
    ("IMNI", _("Not immunised")),
    ("IMUK", _("Unknown")),
]
ENTRY_POINT = [("facility", _("Health facility")), ("community", _("Community"))]
MEMBER_TYPE = [
    ("TOVC", _("Index child (OVC)")),
    ("TBVC", _("Other child in the household")),
    ("CGPM", _("Parent (mother)")),
    ("CGPF", _("Parent (father)")),
    ("CGGP", _("Grandparent")),
    ("CGSI", _("Sibling (adult)")),
    ("CGRL", _("Other relative")),
    ("CGFP", _("Foster parent")),
    ("CGNR", _("Not related")),
]
DEATH_CAUSE = [("DCHR", _("HIV-related")), ("DCOT", _("Other"))]
# CPARA domains, with the case plan's domain codes
DOMAINS = [
    ("healthy", _("Healthy")),
    ("stable", _("Stable")),
    ("safe", _("Safe")),
    ("schooled", _("Schooled")),
]
CASE_PLAN_DOMAIN_CODES = {
    "healthy": "DHNU",
    "stable": "DHES",
    "safe": "DPRO",
    "schooled": "DEDU",
}
RESPONSIBLE = [
    ("caregiver", _("Caregiver")),
    ("household_member", _("Household member")),
    ("chv", _("CHV")),
    ("ngo", _("NGO")),
    ("gok", _("Government of Kenya")),
]
# Exit reasons; ERCP (graduation) appears only in CPIMS' code, kept as it is there.
GRADUATION = "ERCP"
EXIT_REASONS = [
    (GRADUATION, _("Graduation")),
    ("ERDE", _("Death")),
    ("EROE", _("Over 18/20 (aged out)")),
    ("ERFI", _("Reintegration")),
    ("ERFR", _("Reconciliation")),
    ("ERFS", _("Fostering")),
    ("ERAD", _("Adoption")),
    ("ERSE", _("Self-employed")),
    ("ERIN", _("Ineligible")),
    ("ERRL", _("Relocation")),
    ("ERDU", _("Duplicate")),
    ("ERTR", _("Transition")),
    ("ERLW", _("Left at will (lost to follow-up)")),
    ("ERMA", _("Married")),
    ("ERTL", _("Transfer to a non-PEPFAR partner")),
    ("ERFO", _("Transfer to a PEPFAR partner")),
    ("ERDO", _("Drop out")),
]
ADHERENCE = [("good", _("Good")), ("fair", _("Fair")), ("poor", _("Poor"))]
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


def labels(choices) -> dict[str, str]:
    return {code: str(label) for code, label in choices}


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
WELLBEING_KINDS = [("WBG", _("Household wellbeing")), ("WBGA", _("Adolescent wellbeing"))]
