"""The OVC case plan's goals (one per CPARA benchmark), gaps / needs and priority actions per
domain, with the codes of the national CPIMS OVC system (case plan template of May 2022);
assembled into lists by ``data_ovc_plans.py``."""

from __future__ import annotations

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
