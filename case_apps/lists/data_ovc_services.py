"""The OVC services per domain: the national CPIMS services (case plan and Form 1A) and the
Form 1B caregiver services; assembled into lists by ``data_ovc_plans.py``."""

from __future__ import annotations

SERVICES = {
    "healthy": [
        (
            "CP11HE",
            "CP 1.1: Facilitated to obtain an HIV test",
            "CP 1.1: Kuwezeshwa kupata kipimo cha VVU",
        ),
        (
            "CP12 HE",
            "CP 1.2: Referral for an HIV test completed",
            "CP 1.2: Rufaa ya kupima VVU imekamilika",
        ),
        (
            "CP13HE",
            "CP 1.3: Referral for early infant diagnosis (EID) completed",
            "CP 1.3: Rufaa ya uchunguzi wa mapema wa mtoto mchanga (EID) imekamilika",
        ),
        (
            "CP14HE",
            "CP 1.4: Facilitated to obtain early infant diagnosis (EID)",
            "CP 1.4: Kuwezeshwa kupata uchunguzi wa mapema wa mtoto mchanga (EID)",
        ),
        (
            "CP21HE",
            "CP 2.1: Referral for enrolment in care and treatment completed",
            "CP 2.1: Rufaa ya kuandikishwa katika huduma na matibabu imekamilika",
        ),
        (
            "CP22HE",
            "CP 2.2: Referred/facilitated to access viral load testing",
            "CP 2.2: Kupelekwa/kuwezeshwa kupima kiwango cha virusi",
        ),
        (
            "CP23HE",
            "CP 2.3: Transport to a clinic appointment",
            "CP 2.3: Usafiri wa kwenda kwenye miadi ya kliniki",
        ),
        ("CP24HE", "CP 2.4: Appointment reminder messages", "CP 2.4: Ujumbe wa kukumbusha miadi"),
        (
            "CP25HE",
            "CP 2.5: Age-appropriate counselling and HIV disclosure support",
            "CP 2.5: Ushauri unaolingana na umri na msaada wa kufichua hali ya VVU",
        ),
        (
            "CP26HE",
            "CP 2.6: Age-appropriate HIV treatment literacy (CLHIV)",
            "CP 2.6: Elimu ya matibabu ya VVU inayolingana na umri (CLHIV)",
        ),
        (
            "CP27HE",
            "CP 2.7: Referral for opportunistic infection treatment and care completed",
            "CP 2.7: Rufaa ya matibabu ya magonjwa nyemelezi imekamilika",
        ),
        (
            "CP28HE",
            "CP 2.8: Linked to an age-appropriate OTZ club",
            "CP 2.8: Kuunganishwa na klabu ya OTZ inayolingana na umri",
        ),
        (
            "CP29HE",
            "CP 2.9: Linked to a structured PLHA support group",
            "CP 2.9: Kuunganishwa na kikundi cha msaada cha wanaoishi na VVU",
        ),
        (
            "CP210HE",
            "CP 2.10: HIV adherence support (pill box, treatment buddy, EAC...)",
            "CP 2.10: Msaada wa ufuasi wa dawa za VVU (kisanduku cha dawa, rafiki wa matibabu, "
            "EAC...)",
        ),
        (
            "CP211HE",
            "CP 2.11: Referred/facilitated for routine or emergency healthcare",
            "CP 2.11: Kupelekwa/kuwezeshwa kupata huduma za afya za kawaida au za dharura",
        ),
        (
            "CP212HE",
            "CP 2.12: Age-appropriate health and nutrition messages",
            "CP 2.12: Ujumbe wa afya na lishe unaolingana na umri",
        ),
        (
            "CP213HE",
            "CP 2.13: Referred/facilitated for STI treatment",
            "CP 2.13: Kupelekwa/kuwezeshwa kupata matibabu ya magonjwa ya zinaa",
        ),
        (
            "CP31HE",
            "CP 3.1: Referral for HIV prevention support (PrEP, condoms, VMMC)",
            "CP 3.1: Rufaa ya msaada wa kuzuia VVU (PrEP, kondomu, tohara)",
        ),
        (
            "CP32HE",
            "CP 3.2: HIV and violence prevention intervention sessions",
            "CP 3.2: Vikao vya kuzuia VVU na ukatili",
        ),
        (
            "CP41HE",
            "CP 4.1: Referral for MUAC and bipedal oedema assessment completed",
            "CP 4.1: Rufaa ya tathmini ya MUAC na uvimbe wa miguu imekamilika",
        ),
        (
            "CP42HE",
            "CP 4.2: Supplementary or therapeutic food",
            "CP 4.2: Chakula cha nyongeza au cha matibabu",
        ),
        (
            "CP43HE",
            "CP 4.3: Referred/facilitated for nutrition and growth monitoring",
            "CP 4.3: Kupelekwa/kuwezeshwa kwa ufuatiliaji wa lishe na ukuaji",
        ),
        (
            "CP44HE",
            "CP 4.4: Referred/facilitated for immunisation",
            "CP 4.4: Kupelekwa/kuwezeshwa kupata chanjo",
        ),
        (
            "CP45HE",
            "CP 4.5: Insecticide-treated mosquito net (ITN)",
            "CP 4.5: Chandarua chenye dawa (ITN)",
        ),
        (
            "CP46HE",
            "CP 4.6: Referred/facilitated for perinatal care including PMTCT",
            "CP 4.6: Kupelekwa/kuwezeshwa kupata huduma za uzazi pamoja na PMTCT",
        ),
        (
            "CP47HE",
            "CP 4.7: Hygiene counselling and WASH messages",
            "CP 4.7: Ushauri wa usafi na ujumbe wa WASH",
        ),
    ],
    "stable": [
        (
            "CP51ST",
            "CP 5.1: Linked to GOK and other safety nets (cash transfers)",
            "CP 5.1: Kuunganishwa na mipango ya serikali na mingine ya kinga ya jamii (msaada "
            "wa pesa)",
        ),
        ("CP52ST", "CP 5.2: Emergency / cash transfer", "CP 5.2: Msaada wa dharura / wa pesa"),
        (
            "CP53ST",
            "CP 5.3: Business support (start-up kit / business boost)",
            "CP 5.3: Msaada wa biashara (vifaa vya kuanzia / kukuza biashara)",
        ),
        ("CP54ST", "CP 5.4: Productive assets", "CP 5.4: Mali za uzalishaji"),
        (
            "CP55ST",
            "CP 5.5: Enrolled in a savings group (VSLA/SILC)",
            "CP 5.5: Kuandikishwa katika kikundi cha akiba (VSLA/SILC)",
        ),
        (
            "CP56ST",
            "CP 5.6: Linked to financial institutions",
            "CP 5.6: Kuunganishwa na taasisi za fedha",
        ),
        (
            "CP57ST",
            "CP 5.7: Financial literacy training (caregiver and adolescent)",
            "CP 5.7: Mafunzo ya elimu ya fedha (mlezi na kijana)",
        ),
        ("CP58ST", "CP 5.8: Entrepreneurship training", "CP 5.8: Mafunzo ya ujasiriamali"),
        (
            "CP59ST",
            "CP 5.9: Agribusiness skills training",
            "CP 5.9: Mafunzo ya ujuzi wa kilimo biashara",
        ),
        (
            "CP510S",
            "CP 5.10: Vocational training / apprenticeship",
            "CP 5.10: Mafunzo ya ufundi / uanagenzi",
        ),
        (
            "CP511S",
            "CP 5.11: Linked to internships or job opportunities",
            "CP 5.11: Kuunganishwa na nafasi za mafunzo kazini au ajira",
        ),
        (
            "CP512S",
            "CP 5.12: Enrolled/referred for health insurance (NHIF, UHC)",
            "CP 5.12: Kuandikishwa/kupelekwa kwa bima ya afya (NHIF, UHC)",
        ),
        (
            "CP513S",
            "CP 5.13: Support with legal and administrative fees (guardianship, registration, "
            "inheritance)",
            "CP 5.13: Msaada wa ada za kisheria na za kiutawala (ulezi, usajili, urithi)",
        ),
    ],
    "safe": [
        (
            "CP61SA",
            "CP 6.1: Structured family group conferencing to prevent abuse",
            "CP 6.1: Mkutano wa familia uliopangwa wa kuzuia unyanyasaji",
        ),
        (
            "CP62SA",
            "CP 6.2: Structured psychosocial support on family conflict and relationships",
            "CP 6.2: Msaada wa kisaikolojia kuhusu migogoro na mahusiano ya familia",
        ),
        (
            "CP63SA",
            "CP 6.3: Referred/facilitated for post-violence medical care",
            "CP 6.3: Kupelekwa/kuwezeshwa kupata matibabu baada ya ukatili",
        ),
        (
            "CP64SA",
            "CP 6.4: Suspected abuse reported to child protection, police or local authority",
            "CP 6.4: Unyanyasaji unaoshukiwa umeripotiwa kwa ofisi ya watoto, polisi au "
            "mamlaka ya eneo",
        ),
        (
            "CP65SA",
            "CP 6.5: Referred for emergency shelter / care facility",
            "CP 6.5: Kupelekwa kwa makazi ya dharura / kituo cha malezi",
        ),
        (
            "CP66SA",
            "CP 6.6: Adolescent safe spaces intervention",
            "CP 6.6: Mpango wa maeneo salama kwa vijana",
        ),
        (
            "CP67SA",
            "CP 6.7: Evidence-based intervention on preventing HIV and sexual violence",
            "CP 6.7: Mpango wenye ushahidi wa kuzuia VVU na ukatili wa kingono",
        ),
        (
            "CP68SA",
            "CP 6.8: Caregiver supported to access structured psychosocial support",
            "CP 6.8: Mlezi amesaidiwa kupata msaada wa kisaikolojia uliopangwa",
        ),
        (
            "CP69SA",
            "CP 6.9: Caregiver enrolled in an early childhood intervention",
            "CP 6.9: Mlezi ameandikishwa katika mpango wa malezi ya utotoni",
        ),
        (
            "CP610S",
            "CP 6.10: Caregiver enrolled in an evidence-based parenting intervention",
            "CP 6.10: Mlezi ameandikishwa katika mpango wenye ushahidi wa malezi bora",
        ),
        (
            "CP611S",
            "CP 6.11: Legal assistance for maltreatment, GBV, trafficking or exploitation",
            "CP 6.11: Msaada wa kisheria kwa unyanyasaji, ukatili wa kijinsia, ulanguzi au "
            "unyonyaji",
        ),
        (
            "CP71SA",
            "CP 7.1: Emergency shelter, care facility or kinship care placement",
            "CP 7.1: Makazi ya dharura, kituo cha malezi au malezi ya jamaa",
        ),
        (
            "CP81SA",
            "CP 8.1: Facilitated/referred to acquire a birth certificate",
            "CP 8.1: Kuwezeshwa/kupelekwa kupata cheti cha kuzaliwa",
        ),
    ],
    "schooled": [
        ("CP91SC", "CP 9.1: Enrolled in ECD", "CP 9.1: Kuandikishwa ECD"),
        (
            "CP92SC",
            "CP 9.2: Re-enrolled in school (teenage mothers included)",
            "CP 9.2: Kurudishwa shuleni (pamoja na mama vijana)",
        ),
        (
            "CP93SC",
            "CP 9.3: Adolescent (15-20) enrolled in an approved HES intervention / VTC",
            "CP 9.3: Kijana (15-20) ameandikishwa katika mpango wa HES ulioidhinishwa / VTC",
        ),
        (
            "CP94SC",
            "CP 9.4: School fees, bursary or other education support",
            "CP 9.4: Karo, basari au msaada mwingine wa elimu",
        ),
        ("CP95SC", "CP 9.5: School levies support", "CP 9.5: Msaada wa ada za shule"),
        ("CP96SC", "CP 9.6: Scholastic materials", "CP 9.6: Vifaa vya shule"),
        ("CP97SC", "CP 9.7: School uniform", "CP 9.7: Sare za shule"),
        (
            "CP98SC",
            "CP 9.8: Sanitary towels for adolescent girls",
            "CP 9.8: Sodo kwa wasichana vijana",
        ),
        (
            "CP99SC",
            "CP 9.9: Assistance with homework",
            "CP 9.9: Msaada wa kazi za nyumbani za shule",
        ),
        (
            "CP910S",
            "CP 9.10: Child's progress in school monitored",
            "CP 9.10: Maendeleo ya mtoto shuleni yanafuatiliwa",
        ),
    ],
}


# Form 1B: services to the caregiver / household (CPIMS list ``form1b_items``, grouped by
# ``item_sub_category`` 1s healthy, 2s stable, 3s safe, 4s schooled). CPIMS's codes are not
# published in its public code: these ``F1B…`` codes are PROVISIONAL, of this system's own,
# until the DCS publishes the national ones and replaces them on the lists screen
# (``/console/lists/``), where the lists are editable like every national list.
FORM1B_KIND = "ovc_form1b_service"

FORM1B_SERVICES = {
    "healthy": [
        ("F1BHE01", "Caregiver HIV testing services", "Huduma za upimaji wa VVU kwa mlezi"),
        (
            "F1BHE02",
            "Caregiver linked to HIV care and treatment",
            "Mlezi kuunganishwa na huduma na matibabu ya VVU",
        ),
        (
            "F1BHE03",
            "Caregiver ART adherence support",
            "Msaada wa ufuasi wa dawa za ARV kwa mlezi",
        ),
        (
            "F1BHE04",
            "Enrolled in NHIF / health insurance",
            "Kuandikishwa katika NHIF / bima ya afya",
        ),
        ("F1BHE05", "Food basket / food support", "Kikapu cha chakula / msaada wa chakula"),
        ("F1BHE06", "Nutrition education", "Elimu ya lishe"),
        (
            "F1BHE07",
            "Water, sanitation and hygiene (WASH) support",
            "Msaada wa maji, usafi wa mazingira na usafi (WASH)",
        ),
        ("F1BHE08", "Mosquito net provided", "Chandarua kimetolewa"),
        (
            "F1BHE09",
            "Referred for health services",
            "Kupelekwa kwa huduma za afya",
        ),
        (
            "F1BHE10",
            "Family planning / reproductive health information",
            "Taarifa za uzazi wa mpango / afya ya uzazi",
        ),
        ("F1BHE11", "Psychosocial support to the caregiver", "Msaada wa kisaikolojia kwa mlezi"),
        (
            "F1BHE12",
            "Kitchen garden / household food production",
            "Bustani ya jikoni / uzalishaji wa chakula nyumbani",
        ),
    ],
    "stable": [
        (
            "F1BST01",
            "Cash transfer (government or programme)",
            "Uhamisho wa fedha (wa serikali au wa mpango)",
        ),
        (
            "F1BST02",
            "Savings group (VSLA / SILC) membership",
            "Uanachama wa kikundi cha akiba (VSLA / SILC)",
        ),
        ("F1BST03", "Financial literacy training", "Mafunzo ya elimu ya fedha"),
        ("F1BST04", "Income generating activity support", "Msaada wa shughuli ya kuzalisha mapato"),
        ("F1BST05", "Business skills training", "Mafunzo ya ujuzi wa biashara"),
        ("F1BST06", "Start-up kit or grant", "Vifaa vya kuanzia au ruzuku"),
        ("F1BST07", "Vocational / skills training", "Mafunzo ya ufundi / ujuzi"),
        ("F1BST08", "Agricultural inputs support", "Msaada wa pembejeo za kilimo"),
        (
            "F1BST09",
            "Linked to market or value chain",
            "Kuunganishwa na soko au mnyororo wa thamani",
        ),
        ("F1BST10", "Linked to microfinance / credit", "Kuunganishwa na mikopo midogo"),
        ("F1BST11", "Shelter / housing support", "Msaada wa makazi / nyumba"),
        ("F1BST12", "Emergency household support", "Msaada wa dharura kwa kaya"),
    ],
    "safe": [
        ("F1BSA01", "Parenting programme (positive parenting)", "Mpango wa malezi (malezi chanya)"),
        (
            "F1BSA02",
            "Caregiver trained on child protection",
            "Mlezi amefunzwa kuhusu ulinzi wa mtoto",
        ),
        (
            "F1BSA03",
            "Gender-based violence prevention and response",
            "Kuzuia na kushughulikia ukatili wa kijinsia",
        ),
        ("F1BSA04", "Legal aid / legal support", "Msaada wa kisheria"),
        (
            "F1BSA05",
            "Caregiver helped to obtain a national ID",
            "Mlezi kusaidiwa kupata kitambulisho cha taifa",
        ),
        (
            "F1BSA06",
            "Birth registration of the household's children facilitated",
            "Usajili wa kuzaliwa kwa watoto wa kaya kuwezeshwa",
        ),
        ("F1BSA07", "Succession / will planning", "Mipango ya urithi / wosia"),
        (
            "F1BSA08",
            "Family counselling / conflict resolution",
            "Ushauri wa familia / utatuzi wa migogoro",
        ),
        ("F1BSA09", "Support group for caregivers", "Kikundi cha msaada kwa walezi"),
        ("F1BSA10", "Referred for protection services", "Kupelekwa kwa huduma za ulinzi"),
    ],
    "schooled": [
        (
            "F1BSC01",
            "Caregiver sensitised on school enrolment and attendance",
            "Mlezi kuhamasishwa kuhusu uandikishaji na mahudhurio ya shule",
        ),
        (
            "F1BSC02",
            "Caregiver linked to education bursaries",
            "Mlezi kuunganishwa na basari za elimu",
        ),
        ("F1BSC03", "Adult literacy / education", "Elimu ya watu wazima / kusoma na kuandika"),
        (
            "F1BSC04",
            "Caregiver engaged with the school (meetings, follow-up)",
            "Mlezi kushiriki na shule (mikutano, ufuatiliaji)",
        ),
        (
            "F1BSC05",
            "Early childhood development education for the caregiver",
            "Elimu ya malezi ya awali ya mtoto kwa mlezi",
        ),
        (
            "F1BSC06",
            "Household study space / lighting support",
            "Msaada wa mahali pa kusomea / mwanga nyumbani",
        ),
    ],
}
