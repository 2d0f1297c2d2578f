"""The OVC case plan and service lists, with the codes of the national CPIMS OVC system
(cpims-ovc-3.0, case plan template of May 2022): per domain (``ovc_domain``), the goals
(one per CPARA benchmark), the gaps / needs, the priority actions and the services.

The services of a domain serve both the case plan and Form 1A (services delivered), so a
service counts in the services-by-domain report whichever form recorded it. Lists are
named ``<kind>_<domain code>``: ``ovc_cp_goal_healthy``, ``ovc_service_safe``...
(code, English label, Kiswahili label), loaded like ``data_ovc.py``. Codes are opaque and
kept exactly as CPIMS spells them (``CP12 HE`` has a space; ``CP511S`` is 5.11 Stable).
CPIMS lists ``CP32HE`` twice (two services); the second is left out (one code, one item).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DOMAINS = ("healthy", "stable", "safe", "schooled")
PLAN_KINDS = ("ovc_cp_goal", "ovc_cp_gap", "ovc_cp_priority", "ovc_service")

GOALS = {
    "healthy": [
        (
            "GH1HE",
            "GH 1: Increase diagnosis of HIV infection (known HIV status)",
            "GH 1: Kuongeza utambuzi wa maambukizi ya VVU (hali ya VVU inajulikana)",
        ),
        (
            "GH2HE",
            "GH 2: Increase HIV treatment adherence, continuity of treatment and viral suppression",
            "GH 2: Kuongeza ufuasi wa matibabu ya VVU, kuendelea na matibabu na kudhibiti virusi",
        ),
        (
            "GH3HE",
            "GH 3: All adolescents 10-17 in the household know how to prevent HIV infection",
            "GH 3: Vijana wote wa miaka 10-17 katika kaya wanajua jinsi ya kuzuia maambukizi "
            "ya VVU",
        ),
        (
            "GH4HE",
            "GH 4: Improve development of children under 5 (particularly HIV-exposed and infected)",
            "GH 4: Kuboresha ukuaji wa watoto chini ya miaka 5 (hasa walioathiriwa na VVU)",
        ),
    ],
    "stable": [
        (
            "GH5ST",
            "GH 5: Increase the caregiver's ability to meet important family needs",
            "GH 5: Kuongeza uwezo wa mlezi wa kukidhi mahitaji muhimu ya familia",
        ),
    ],
    "safe": [
        (
            "GH6SA",
            "GH 6: Reduced risk of physical, emotional and psychological injury from violence",
            "GH 6: Kupunguza hatari ya majeraha ya kimwili, kihisia na kisaikolojia kutokana "
            "na ukatili",
        ),
        (
            "GH7SA",
            "GH 7: All children in the household are cared for by a stable adult caregiver",
            "GH 7: Watoto wote katika kaya wanatunzwa na mlezi mtu mzima thabiti",
        ),
        (
            "GH8SA",
            "GH 8: All children under 18 have legal proof of identity",
            "GH 8: Watoto wote chini ya miaka 18 wana uthibitisho wa kisheria wa utambulisho",
        ),
    ],
    "schooled": [
        (
            "GH9SC",
            "GH 9: Increase school attendance and promotion",
            "GH 9: Kuongeza mahudhurio ya shule na kupanda darasa",
        ),
    ],
}

GAPS = {
    "healthy": [
        (
            "GN11HE",
            "GN 1.1: Child/adolescent (0-17) has an unknown HIV status",
            "GN 1.1: Mtoto/kijana (0-17) hali yake ya VVU haijulikani",
        ),
        (
            "GN12HE",
            "GN 1.2: HIV status of an HIV-exposed infant not confirmed at 18 months / after "
            "breastfeeding",
            "GN 1.2: Hali ya VVU ya mtoto mchanga aliyeathiriwa haijathibitishwa akiwa na "
            "miezi 18 / baada ya kunyonya",
        ),
        (
            "GN13HE",
            "GN 1.3: HIV status of the caregiver not known",
            "GN 1.3: Hali ya VVU ya mlezi haijulikani",
        ),
        (
            "GN21HE",
            "GN 2.1: HIV-positive child/adolescent not enrolled on treatment",
            "GN 2.1: Mtoto/kijana mwenye VVU hajaandikishwa kwenye matibabu",
        ),
        (
            "GN22HE",
            "GN 2.2: Child/adolescent on treatment with no documented viral load result",
            "GN 2.2: Mtoto/kijana kwenye matibabu bila matokeo ya kiwango cha virusi yaliyoandikwa",
        ),
        (
            "GN23HE",
            "GN 2.3: Child/adolescent on treatment with a viral load not suppressed",
            "GN 2.3: Mtoto/kijana kwenye matibabu ambaye virusi havijadhibitiwa",
        ),
        (
            "GN24HE",
            "GN 2.4: Child/adolescent living with HIV not attending appointments regularly (12 "
            "months)",
            "GN 2.4: Mtoto/kijana anayeishi na VVU hahudhurii miadi mara kwa mara (miezi 12)",
        ),
        (
            "GN25HE",
            "GN 2.5: Child/adolescent living with HIV not adhering to medication",
            "GN 2.5: Mtoto/kijana anayeishi na VVU hafuati matumizi ya dawa",
        ),
        (
            "GN26HE",
            "GN 2.6: HIV-positive caregiver not enrolled on treatment",
            "GN 2.6: Mlezi mwenye VVU hajaandikishwa kwenye matibabu",
        ),
        (
            "GN27HE",
            "GN 2.7: HIV-positive caregiver on treatment with no documented viral load result",
            "GN 2.7: Mlezi mwenye VVU kwenye matibabu bila matokeo ya kiwango cha virusi "
            "yaliyoandikwa",
        ),
        (
            "GN28HE",
            "GN 2.8: HIV-positive caregiver on treatment with a viral load not suppressed",
            "GN 2.8: Mlezi mwenye VVU kwenye matibabu ambaye virusi havijadhibitiwa",
        ),
        (
            "GN29HE",
            "GN 2.9: HIV-positive caregiver not attending appointments regularly (12 months)",
            "GN 2.9: Mlezi mwenye VVU hahudhurii miadi mara kwa mara (miezi 12)",
        ),
        (
            "GN210H",
            "GN 2.10: HIV-positive caregiver not adhering to medication",
            "GN 2.10: Mlezi mwenye VVU hafuati matumizi ya dawa",
        ),
        (
            "GN31HE",
            "GN 3.1: Adolescent has inadequate knowledge of HIV prevention",
            "GN 3.1: Kijana hana maarifa ya kutosha kuhusu kuzuia VVU",
        ),
        (
            "GN32HE",
            "GN 3.2: Unable to describe two HIV infection risks",
            "GN 3.2: Hawezi kueleza hatari mbili za maambukizi ya VVU",
        ),
        (
            "GN33HE",
            "GN 3.3: Unable to describe one way to prevent HIV risk",
            "GN 3.3: Hawezi kueleza njia moja ya kujikinga na hatari ya VVU",
        ),
        (
            "GN34HE",
            "GN 3.4: Unable to name a place where HIV prevention support is available",
            "GN 3.4: Hawezi kutaja mahali panapotolewa msaada wa kuzuia VVU",
        ),
        (
            "GN41HE",
            "GN 4.1: Child under five (HEI included) not assessed for malnutrition",
            "GN 4.1: Mtoto chini ya miaka mitano (pamoja na HEI) hajapimwa utapiamlo",
        ),
        (
            "GN42HE",
            "GN 4.2: Child under five scored yellow/red on MUAC (<12.5)",
            "GN 4.2: Mtoto chini ya miaka mitano amepata manjano/nyekundu kwenye MUAC (<12.5)",
        ),
        (
            "GN43HE",
            "GN 4.3: Child under five showed signs of bipedal oedema",
            "GN 4.3: Mtoto chini ya miaka mitano ameonyesha dalili za uvimbe wa miguu",
        ),
        (
            "GN44HE",
            "GN 4.4: Child previously treated for malnutrition has a Z score below -2",
            "GN 4.4: Mtoto aliyewahi kutibiwa utapiamlo ana alama ya Z chini ya -2",
        ),
        (
            "GN45HE",
            "GN 4.5: Immunisation of a child under two not on track",
            "GN 4.5: Chanjo za mtoto chini ya miaka miwili hazijakamilika kwa wakati",
        ),
    ],
    "stable": [
        (
            "GN51ST",
            "GN 5.1: Caregiver cannot pay school fees without selling assets or cash transfers",
            "GN 5.1: Mlezi hawezi kulipa karo bila kuuza mali au msaada wa pesa",
        ),
        (
            "GN52ST",
            "GN 5.2: Caregiver cannot pay all medical costs of the children (past 6 months)",
            "GN 5.2: Mlezi hawezi kulipa gharama zote za matibabu ya watoto (miezi 6 iliyopita)",
        ),
        (
            "GN53ST",
            "GN 5.3: Caregiver cannot pay legal fees (guardianship, civil registration, "
            "inheritance)",
            "GN 5.3: Mlezi hawezi kulipa ada za kisheria (ulezi, usajili wa kiraia, urithi)",
        ),
    ],
    "safe": [
        (
            "GN61SA",
            "GN 6.1: Caregiver experienced violence and has not received post-violence services",
            "GN 6.1: Mlezi amefanyiwa ukatili na hajapata huduma za baada ya ukatili",
        ),
        (
            "GN62SA",
            "GN 6.2: Child (under 12) experienced violence and has not received post-violence "
            "services",
            "GN 6.2: Mtoto (chini ya miaka 12) amefanyiwa ukatili na hajapata huduma za baada "
            "ya ukatili",
        ),
        (
            "GN63SA",
            "GN 6.3: Adolescent (12 and over) experienced violence and has not received "
            "post-violence services",
            "GN 6.3: Kijana (miaka 12 na zaidi) amefanyiwa ukatili na hajapata huduma za baada "
            "ya ukatili",
        ),
        (
            "GN71SA",
            "GN 7.1: Household lacks a stable adult caregiver",
            "GN 7.1: Kaya haina mlezi mtu mzima thabiti",
        ),
        (
            "GN81SA",
            "GN 8.1: Child lacks legal documents (e.g. birth certificate)",
            "GN 8.1: Mtoto hana hati za kisheria (k.m. cheti cha kuzaliwa)",
        ),
    ],
    "schooled": [
        (
            "GN91SC",
            "GN 9.1: Child (4-5) not attending ECDE where there is a centre",
            "GN 9.1: Mtoto (miaka 4-5) haendi ECDE pale kituo kipo",
        ),
        (
            "GN92SC",
            "GN 9.2: School-aged child (6-17) not enrolled in school",
            "GN 9.2: Mtoto wa umri wa shule (6-17) hajaandikishwa shuleni",
        ),
        (
            "GN93SC",
            "GN 9.3: Out-of-school OVC aged 15-20 not in an approved economic intervention",
            "GN 9.3: OVC wa miaka 15-20 asiye shuleni hayumo katika mpango wa kiuchumi "
            "ulioidhinishwa",
        ),
        (
            "GN94SC",
            "GN 9.4: Child not attending school regularly (missed over five days a month)",
            "GN 9.4: Mtoto haendi shule mara kwa mara (amekosa zaidi ya siku tano kwa mwezi)",
        ),
        (
            "GN95SC",
            "GN 9.5: Child in school did not progress a level in the last school year",
            "GN 9.5: Mtoto aliye shuleni hakupanda darasa mwaka uliopita wa shule",
        ),
    ],
}

PRIORITIES = {
    "healthy": [
        (
            "P11HE",
            "P 1.1: Conduct/refer for HIV risk assessment",
            "P 1.1: Kufanya/kupeleka kwa tathmini ya hatari ya VVU",
        ),
        (
            "P12HE",
            "P 1.2: Escort/refer for HIV testing",
            "P 1.2: Kusindikiza/kupeleka kwa kupima VVU",
        ),
        (
            "P13HE",
            "P 1.3: Escort/refer HEI or mother-baby pair for a confirmatory test",
            "P 1.3: Kusindikiza/kupeleka HEI au mama na mtoto kwa kipimo cha uthibitisho",
        ),
        (
            "P21HE",
            "P 2.1: Refer/escort for enrolment on treatment",
            "P 2.1: Kupeleka/kusindikiza kuandikishwa kwenye matibabu",
        ),
        (
            "P22HE",
            "P 2.2: Refer/escort to the clinic for viral load testing",
            "P 2.2: Kupeleka/kusindikiza kliniki kupima kiwango cha virusi",
        ),
        (
            "P23HE",
            "P 2.3: Enrol the non-suppressed into Jua Mtoto Wako",
            "P 2.3: Kuandikisha wasiodhibiti virusi katika Jua Mtoto Wako",
        ),
        (
            "P24HE",
            "P 2.4: Characterise the non-suppressed",
            "P 2.4: Kubaini sababu za kutodhibiti virusi",
        ),
        (
            "P25HE",
            "P 2.5: Interventions for adherence and non-suppression",
            "P 2.5: Hatua za kusaidia ufuasi wa dawa na udhibiti wa virusi",
        ),
        (
            "P26HE",
            "P 2.6: Refer for other health services",
            "P 2.6: Kupeleka kwa huduma nyingine za afya",
        ),
        ("P31HE", "P 3.1: Refer for DREAMS enrolment", "P 3.1: Kupeleka kuandikishwa DREAMS"),
        (
            "P32HE",
            "P 3.2: Link to adolescent and youth programmes",
            "P 3.2: Kuunganisha na mipango ya vijana",
        ),
        (
            "P33HE",
            "P 3.3: Knowledge on HIV and violence prevention",
            "P 3.3: Maarifa kuhusu kuzuia VVU na ukatili",
        ),
        (
            "P41HE",
            "P 4.1: Conduct/refer the child for MUAC assessment",
            "P 4.1: Kufanya/kupeleka mtoto kwa tathmini ya MUAC",
        ),
        (
            "P42HE",
            "P 4.2: Conduct/refer the child for bipedal oedema assessment",
            "P 4.2: Kufanya/kupeleka mtoto kwa tathmini ya uvimbe wa miguu",
        ),
        (
            "P43HE",
            "P 4.3: Provide/refer for malnutrition interventions",
            "P 4.3: Kutoa/kupeleka kwa matibabu ya utapiamlo",
        ),
        (
            "P44HE",
            "P 4.4: Refer for immunisation and growth monitoring",
            "P 4.4: Kupeleka kwa chanjo na ufuatiliaji wa ukuaji",
        ),
        (
            "P45HE",
            "P 4.5: Refer for other services for under-fives",
            "P 4.5: Kupeleka kwa huduma nyingine za watoto chini ya miaka 5",
        ),
    ],
    "stable": [
        (
            "P51ST",
            "P 5.1: Social assistance: links to GOK and other safety nets",
            "P 5.1: Msaada wa kijamii: kuunganisha na mipango ya serikali na mingine ya kinga "
            "ya jamii",
        ),
        (
            "P52ST",
            "P 5.2: Consumption support (emergency fund / cash transfer)",
            "P 5.2: Msaada wa matumizi (hazina ya dharura / msaada wa pesa)",
        ),
        (
            "P53ST",
            "P 5.3: Productive asset support (goats, poultry)",
            "P 5.3: Msaada wa mali za uzalishaji (mbuzi, kuku)",
        ),
        (
            "P54ST",
            "P 5.4: Income growth support (savings groups, banks, business support)",
            "P 5.4: Msaada wa kukuza mapato (vikundi vya akiba, benki, msaada wa biashara)",
        ),
        (
            "P55ST",
            "P 5.5: Training on savings, financial literacy, business and agribusiness",
            "P 5.5: Mafunzo ya akiba, elimu ya fedha, biashara na kilimo biashara",
        ),
        (
            "P16ST",
            "P 1.6: Market-driven livelihood skills for adolescents (17, out of school)",
            "P 1.6: Ujuzi wa kujipatia riziki kwa vijana (miaka 17, nje ya shule)",
        ),
        (
            "P17ST",
            "P 1.7: Enrolment in a health insurance plan",
            "P 1.7: Kuandikishwa katika bima ya afya",
        ),
    ],
    "safe": [
        (
            "P61SA",
            "P 6.1: Structured psychosocial and family conflict mitigation support",
            "P 6.1: Msaada wa kisaikolojia na wa kutatua migogoro ya familia",
        ),
        (
            "P62SA",
            "P 6.2: Child protection and post-violence services (provide or link)",
            "P 6.2: Huduma za ulinzi wa mtoto na baada ya ukatili (kutoa au kuunganisha)",
        ),
        (
            "P63SA",
            "P 6.3: Interventions to prevent HIV and SGBV",
            "P 6.3: Hatua za kuzuia VVU na ukatili wa kijinsia",
        ),
        (
            "P71SA",
            "P 7.1: Link the child to a stable adult caregiver",
            "P 7.1: Kuunganisha mtoto na mlezi mtu mzima thabiti",
        ),
        (
            "P81SA",
            "P 8.1: Support the child to acquire legal documents",
            "P 8.1: Kusaidia mtoto kupata hati za kisheria",
        ),
    ],
    "schooled": [
        (
            "P91SC",
            "P 9.1: Enrol the child in school (ECD/primary, late enrolment)",
            "P 9.1: Kuandikisha mtoto shuleni (ECD/msingi, aliyechelewa)",
        ),
        (
            "P92SC",
            "P 9.2: Re-enrol the child/adolescent in school",
            "P 9.2: Kumrudisha mtoto/kijana shuleni",
        ),
        (
            "P93SC",
            "P 9.3: Enrol the adolescent in an approved HES intervention",
            "P 9.3: Kuandikisha kijana katika mpango wa HES ulioidhinishwa",
        ),
        (
            "P94SC",
            "P 9.4: Refer/link for education support (bursary, CDF)",
            "P 9.4: Kupeleka/kuunganisha kwa msaada wa elimu (basari, CDF)",
        ),
        (
            "P95SC",
            "P 9.5: Education support (fees, levies, materials, uniform)",
            "P 9.5: Msaada wa elimu (karo, ada, vifaa, sare)",
        ),
        ("P96SC", "P 9.6: Provide/refer for sanitary towels", "P 9.6: Kutoa/kupeleka kwa sodo"),
        (
            "P97SC",
            "P 9.7: Caregiver tracks attendance and progress and helps with homework",
            "P 9.7: Mlezi anafuatilia mahudhurio na maendeleo na kusaidia kazi za nyumbani",
        ),
    ],
}

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


def plan_list(kind: str, domain: str) -> str:
    """The name of a domain's list of one kind: ``plan_list("ovc_service", "safe")``."""
    return f"{kind}_{domain}"


OVC_PLAN_LISTS: dict[str, list[tuple[str, str, str]]] = {
    plan_list(kind, domain): items[domain]
    for kind, items in (
        ("ovc_cp_goal", GOALS),
        ("ovc_cp_gap", GAPS),
        ("ovc_cp_priority", PRIORITIES),
        ("ovc_service", SERVICES),
        (FORM1B_KIND, FORM1B_SERVICES),
    )
    for domain in DOMAINS
}

_KIND_TITLES = {
    "ovc_cp_goal": {
        "healthy": _("OVC case plan goals: Healthy"),
        "stable": _("OVC case plan goals: Stable"),
        "safe": _("OVC case plan goals: Safe"),
        "schooled": _("OVC case plan goals: Schooled"),
    },
    "ovc_cp_gap": {
        "healthy": _("OVC case plan gaps: Healthy"),
        "stable": _("OVC case plan gaps: Stable"),
        "safe": _("OVC case plan gaps: Safe"),
        "schooled": _("OVC case plan gaps: Schooled"),
    },
    "ovc_cp_priority": {
        "healthy": _("OVC case plan priorities: Healthy"),
        "stable": _("OVC case plan priorities: Stable"),
        "safe": _("OVC case plan priorities: Safe"),
        "schooled": _("OVC case plan priorities: Schooled"),
    },
    "ovc_service": {
        "healthy": _("OVC services: Healthy"),
        "stable": _("OVC services: Stable"),
        "safe": _("OVC services: Safe"),
        "schooled": _("OVC services: Schooled"),
    },
    FORM1B_KIND: {
        "healthy": _("OVC Form 1B caregiver services: Healthy"),
        "stable": _("OVC Form 1B caregiver services: Stable"),
        "safe": _("OVC Form 1B caregiver services: Safe"),
        "schooled": _("OVC Form 1B caregiver services: Schooled"),
    },
}

OVC_PLAN_LIST_TITLES = {
    plan_list(kind, domain): title
    for kind, titles in _KIND_TITLES.items()
    for domain, title in titles.items()
}
