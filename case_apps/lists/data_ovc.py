"""The OVC programme's national lists, with the codes of the national CPIMS OVC system
(cpims-ovc-3.0): (code, English label, Kiswahili label), loaded with the case lists
(``case_apps.lists.services.lists_load_national``) and maintained on the same lists screen.

Codes are opaque and stored as they are in CPIMS (some are lower-case words, e.g. the
domains ``healthy``, ``stable``, ``safe``, ``schooled``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

OVC_LISTS: dict[str, list[tuple[str, str, str]]] = {
    "ovc_programme": [
        ("POVC", "Comprehensive OVC", "OVC ya kina"),
        ("PDRE", "DREAMS", "DREAMS"),
        (
            "PPRE",
            "Preventive (Families Matter!, Sinovuyo, CBIM, HCBF)",
            "Kinga (Families Matter!, Sinovuyo, CBIM, HCBF)",
        ),
        ("POTH", "Other", "Nyingine"),
    ],
    "ovc_eligibility": [
        ("ECFD", "Father dead", "Baba amefariki"),
        ("ECMD", "Mother dead", "Mama amefariki"),
        ("ECMF", "Both parents dead", "Wazazi wote wawili wamefariki"),
        ("ECCP", "Child living with HIV", "Mtoto anayeishi na VVU"),
        ("ECHV", "HIV-affected household", "Kaya iliyoathiriwa na VVU"),
        ("ECHO", "Household took in orphans", "Kaya iliyopokea yatima"),
        ("ECLI", "Child in an institution", "Mtoto aliye katika taasisi"),
        ("ECLS", "Child on the street", "Mtoto wa mitaani"),
        ("ECCH", "Child-headed household", "Kaya inayoongozwa na mtoto"),
        ("ECEC", "Caregiver aged 60 or over", "Mlezi mwenye umri wa miaka 60 au zaidi"),
        ("ECMS", "Marginalised", "Aliyetengwa"),
        ("ECHEI", "HIV-exposed infant", "Mtoto mchanga aliyeathiriwa na VVU"),
        ("ECPPA", "HIV-positive pregnant adolescent", "Kijana mjamzito mwenye VVU"),
        ("ECNPA", "HIV-negative pregnant adolescent", "Kijana mjamzito asiye na VVU"),
        ("ECBFA", "HIV-negative breastfeeding adolescent", "Kijana anayenyonyesha asiye na VVU"),
    ],
    "ovc_hiv_status": [
        ("HSTP", "Positive", "Chanya"),
        ("HSTN", "Negative", "Hasi"),
        ("HSKN", "Unknown", "Haijulikani"),
        (
            "HHEI",
            "HIV-exposed infant, status unknown",
            "Mtoto mchanga aliyeathiriwa na VVU, hali haijulikani",
        ),
    ],
    "ovc_art_status": [
        ("ARAR", "On ART", "Anatumia ART"),
        ("ARPR", "On prophylaxis", "Anatumia dawa za kinga"),
        ("ARUK", "Unknown", "Haijulikani"),
    ],
    "ovc_school_level": [
        ("SLNS", "Not in school", "Haendi shule"),
        ("SLEC", "ECDE", "ECDE"),
        ("SLPR", "Primary", "Shule ya msingi"),
        ("SLSE", "Secondary", "Sekondari"),
        ("SLUN", "University", "Chuo kikuu"),
        ("SLTV", "Vocational / TVET", "Mafunzo ya ufundi / TVET"),
    ],
    "ovc_immunisation": [
        ("IMFU", "Fully immunised", "Amepata chanjo zote"),
        ("IMNC", "Not completed", "Haijakamilika"),
        ("IMNI", "Not immunised", "Hajapata chanjo"),
        ("IMUK", "Unknown", "Haijulikani"),
    ],
    "ovc_entry_point": [
        ("facility", "Health facility", "Kituo cha afya"),
        ("community", "Community", "Jamii"),
    ],
    "ovc_member_type": [
        ("TOVC", "Index child (OVC)", "Mtoto mlengwa (OVC)"),
        ("TBVC", "Other child in the household", "Mtoto mwingine katika kaya"),
        ("CGPM", "Parent (mother)", "Mzazi (mama)"),
        ("CGPF", "Parent (father)", "Mzazi (baba)"),
        ("CGAF", "Adoptive father", "Baba wa kuasili"),
        ("CGAM", "Adoptive mother", "Mama wa kuasili"),
        ("CGFF", "Foster father", "Baba mlezi wa kambo"),
        ("CGFM", "Foster mother", "Mama mlezi wa kambo"),
        ("CGGU", "Guardian", "Mlezi wa kisheria"),
        ("CGNK", "Next of kin", "Jamaa wa karibu"),
        ("CGOR", "Other relative", "Jamaa mwingine"),
        ("CGOT", "Other", "Mwingine"),
        ("CGNN", "No relation", "Hakuna uhusiano"),
        # before issue 18 (kept: households registered with them keep their label)
        ("CGGP", "Grandparent", "Babu / bibi"),
        ("CGSI", "Sibling (adult)", "Ndugu (mtu mzima)"),
        ("CGRL", "Relative", "Jamaa"),
        ("CGFP", "Foster parent", "Mzazi wa kambo"),
        ("CGNR", "Not related", "Si jamaa"),
    ],
    "ovc_death_cause": [
        ("DCHR", "HIV-related", "Inahusiana na VVU"),
        ("DCOT", "Other", "Nyingine"),
    ],
    "ovc_domain": [
        ("healthy", "Healthy", "Afya njema"),
        ("stable", "Stable", "Utulivu"),
        ("safe", "Safe", "Usalama"),
        ("schooled", "Schooled", "Elimu"),
    ],
    "ovc_responsible": [
        ("caregiver", "Caregiver", "Mlezi"),
        ("household_member", "Household member", "Mwanakaya"),
        ("chv", "CHV", "CHV"),
        ("ngo", "NGO", "NGO"),
        ("gok", "Government of Kenya", "Serikali ya Kenya"),
    ],
    "ovc_exit_reason": [
        ("ERCP", "Graduation", "Kuhitimu"),
        ("ERDE", "Death", "Kifo"),
        ("EROE", "Over 18/20 (aged out)", "Amezidi umri wa miaka 18/20"),
        ("ERFI", "Reintegration", "Kuunganishwa tena na familia"),
        ("ERFR", "Reconciliation", "Upatanisho"),
        ("ERFS", "Fostering", "Malezi ya kambo"),
        ("ERAD", "Adoption", "Kuasili"),
        ("ERSE", "Self-employed", "Amejiajiri"),
        ("ERIN", "Ineligible", "Hastahili"),
        ("ERRL", "Relocation", "Kuhamia kwingine"),
        ("ERDU", "Duplicate", "Nakala ya rekodi"),
        ("ERTR", "Transition", "Mpito"),
        ("ERLW", "Left at will (lost to follow-up)", "Aliondoka kwa hiari (hapatikani tena)"),
        ("ERMA", "Married", "Ameolewa / ameoa"),
        ("ERTL", "Transfer to a non-PEPFAR partner", "Kuhamishiwa kwa mshirika asiye wa PEPFAR"),
        ("ERFO", "Transfer to a PEPFAR partner", "Kuhamishiwa kwa mshirika wa PEPFAR"),
        ("ERDO", "Drop out", "Ameacha mpango"),
    ],
    "ovc_adherence": [
        ("good", "Good", "Nzuri"),
        ("fair", "Fair", "Wastani"),
        ("poor", "Poor", "Duni"),
    ],
    "ovc_wellbeing_kind": [
        ("WBG", "Household wellbeing", "Ustawi wa kaya"),
        ("WBGA", "Adolescent wellbeing", "Ustawi wa kijana"),
    ],
}

OVC_LIST_TITLES = {
    "ovc_programme": _("OVC programmes"),
    "ovc_eligibility": _("OVC eligibility criteria"),
    "ovc_hiv_status": _("OVC HIV status"),
    "ovc_art_status": _("OVC ART status"),
    "ovc_school_level": _("OVC school levels"),
    "ovc_immunisation": _("OVC immunisation status"),
    "ovc_entry_point": _("OVC entry points"),
    "ovc_member_type": _("OVC household member types"),
    "ovc_death_cause": _("OVC causes of death"),
    "ovc_domain": _("OVC domains (CPARA, services, case plan)"),
    "ovc_responsible": _("OVC case plan: who is responsible"),
    "ovc_exit_reason": _("OVC exit reasons"),
    "ovc_adherence": _("OVC ART adherence"),
    "ovc_wellbeing_kind": _("OVC wellbeing forms"),
}
