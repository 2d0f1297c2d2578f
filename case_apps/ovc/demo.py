"""Demo OVC programme for the embedded mode: an implementing partner's households.

Eight households in Nairobi with their caregivers and 27 children, all registry persons,
enrolled, served in each of the last three quarters, a CPARA per household, case plans,
wellbeing, HIV screenings (one test referral closed with a result), HIV management
visits, one graduation and one exit, so the OVC screens and the MER OVC_SERV and
OVC_HIVSTAT reports have figures. Everything goes through ``case_apps.ovc.services``.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from case_apps.ovc import date_rules, services
from case_apps.ovc.models import Household
from case_apps.ovc.services_visits import household_visit_record
from shared_registry.models import Ward
from shared_registry.services import person_register
from tenants.actor import Actor
from tenants.models import Membership, Organisation, User

COUNTY, SUB_COUNTY = "047", "274"
F, M = "SFEM", "SMAL"
YES_ALL = dict.fromkeys(range(1, 10), "yes")

# caregiver (first, surname, sex, age, relation), village, CPARA answers "y"/"n" for 1-9,
# children (first, sex, age, HIV status, school level)
HOUSEHOLDS = [
    (
        ("Lucy", "Achieng", F, 38, "CGPM"),
        "Kibera Soweto",
        "yyyyyyyyy",
        [
            ("Brenda", F, 15, "HSTN", "SLSE"),
            ("Dennis", M, 12, "HSTN", "SLPR"),
            ("Sharon", F, 8, "HSTN", "SLPR"),
        ],
    ),
    (
        ("Margaret", "Wairimu", F, 64, "CGGP"),
        "Kawangware",
        "ynyyynyyn",
        [
            ("Samuel", M, 13, "HSTP", "SLPR"),
            ("Esther", F, 10, "HSKN", "SLPR"),
            ("Joy", F, 6, "HSTN", "SLPR"),
            ("Peter", M, 4, "HSKN", "SLEC"),
        ],
    ),
    (
        ("Joseph", "Mutua", M, 45, "CGPF"),
        "Mathare 4A",
        "nnyynynyy",
        [
            ("Faith", F, 16, "HSTN", "SLSE"),
            ("Collins", M, 14, "HSKN", "SLPR"),
            ("Ivy", F, 11, "HSTN", "SLPR"),
        ],
    ),
    (
        ("Rehema", "Juma", F, 33, "CGPM"),
        "Kangemi",
        "yyynynyyy",
        [
            ("Amani", M, 9, "HSTP", "SLPR"),
            ("Neema", F, 7, "HSTN", "SLPR"),
            ("Baraka", M, 2, "HHEI", "SLNS"),
        ],
    ),
    (
        ("Catherine", "Nduta", F, 52, "CGRL"),
        "Kibera Laini Saba",
        "yyyyyynyy",
        [
            ("Kelvin", M, 17, "HSTN", "SLTV"),
            ("Mercy", F, 15, "HSTN", "SLSE"),
            ("Stacy", F, 12, "HSKN", "SLPR"),
            ("Brian", M, 9, "HSTN", "SLPR"),
        ],
    ),
    (
        ("Daniel", "Omondi", M, 41, "CGPF"),
        "Kawangware 46",
        "ynnynyyny",
        [
            ("Cynthia", F, 14, "HSTP", "SLPR"),
            ("Victor", M, 11, "HSTN", "SLPR"),
            ("Purity", F, 5, "HSTN", "SLEC"),
        ],
    ),
    (
        ("Elizabeth", "Moraa", F, 29, "CGPM"),
        "Mathare Mabatini",
        "yyyyyyyny",
        [
            ("Tabitha", F, 11, "HSTN", "SLPR"),
            ("Ian", M, 8, "HSKN", "SLPR"),
            ("Grace", F, 3, "HSTN", "SLEC"),
        ],
    ),
    (
        ("Ruth", "Chepkoech", F, 47, "CGFP"),
        "Kangemi Gichagi",
        "yyyyyyyyn",
        [
            ("Moses", M, 16, "HSTN", "SLSE"),
            ("Linet", F, 13, "HSTN", "SLPR"),
            ("Felix", M, 10, "HSTP", "SLPR"),
            ("Wendy", F, 7, "HSTN", "SLPR"),
        ],
    ),
]
GRADUATING = 0  # the household whose CPARA meets every benchmark: its children graduate
NEW_THIS_QUARTER = {(6, 2)}  # (household, child) enrolled and served in the current quarter
RELOCATED = (2, 1)  # (household, child) exited: the family moved away
# (domain, service code of the domain's national list, provider): data_ovc_plans.SERVICES
SERVICES = [
    ("healthy", "CP212HE", "Imara CHV"),  # health and nutrition messages
    ("stable", "CP55ST", "Imara OVC Partners"),  # savings group (VSLA)
    ("safe", "CP62SA", "Imara social worker"),  # structured psychosocial support
    ("schooled", "CP94SC", "Imara OVC Partners"),  # school fees / bursary
]
# domain -> (goal, gap, services) of a case plan line (data_ovc_plans.GOALS, GAPS, SERVICES)
PLAN_LINES = {
    "healthy": ("GH1HE", "GN11HE", ["CP11HE", "CP211HE"]),
    "stable": ("GH5ST", "GN51ST", ["CP51ST", "CP55ST"]),
    "safe": ("GH6SA", "GN62SA", ["CP62SA", "CP63SA"]),
}


def _as(user: User, organisation: Organisation) -> Actor:
    """The demo worker acting in the organisation (its membership decides what it may do)."""
    membership = Membership.objects.get(user=user, organisation=organisation)
    return Actor(user=user, membership=membership, organisation=organisation)


def _quarter_start(day: date) -> date:
    return date(day.year, day.month - (day.month - 1) % 3, 1)


def _quarters(today: date) -> list[date]:
    """A service day in each of the two quarters before this one and in this one."""
    current = _quarter_start(today)
    previous = _quarter_start(current - timedelta(days=1))
    before = _quarter_start(previous - timedelta(days=1))
    return [
        before + timedelta(days=20),
        previous + timedelta(days=25),
        min(today, current + timedelta(days=10)),
    ]


def _caregiver_status(relation: str, children: list) -> str:
    """A parent of a child living with or exposed to HIV is positive; others are tested."""
    if relation in ("CGPM", "CGPF") and any(c[3] in ("HSTP", "HHEI") for c in children):
        return "HSTP"
    return "HSTN"


def _person(first: str, surname: str, sex: str, age: int, ward: str, actor, organisation):
    return person_register(
        first_name=first,
        surname=surname,
        sex=sex,
        birth_year=timezone.localdate().year - age,
        county_code=COUNTY,
        sub_county_code=SUB_COUNTY,
        ward_code=ward or None,
        created_by=actor,
        organisation=organisation,
        queue_duplicates=False,
    )


@transaction.atomic
def ovc_load_demo(*, organisation: Organisation, worker: User) -> int:
    """Households, enrolments and their follow-up in an implementing partner's workspace
    (run inside it). Does nothing when the organisation already has households; returns
    how many children it enrolled."""
    if Household.objects.exists():
        return 0
    today = timezone.localdate()
    service_days = _quarters(today)
    wards = list(Ward.objects.filter(sub_county__code=SUB_COUNTY).values_list("code", flat=True))
    enrolled = 0
    for h_index, (caregiver, village, cpara, children) in enumerate(HOUSEHOLDS):
        first, surname, sex, age, relation = caregiver
        ward = wards[h_index % len(wards)] if wards else ""
        head = _person(first, surname, sex, age, ward, worker, organisation)
        household = services.household_register(
            actor=_as(worker, organisation),
            head=head,
            head_relation=relation,
            head_hiv_status=_caregiver_status(relation, children),
            village=village,
            ward_code=ward,
        )
        enrolments = []
        for c_index, (child_name, child_sex, child_age, hiv, school) in enumerate(children):
            child = _person(child_name, surname, child_sex, child_age, ward, worker, organisation)
            new = (h_index, c_index) in NEW_THIS_QUARTER
            registered = service_days[2] if new else service_days[0] - timedelta(days=7)
            positive = hiv in ("HSTP", "HHEI")
            eligibility = ["ECHV"] if positive else ["ECMS"]
            if relation in ("CGGP", "CGRL", "CGFP"):
                eligibility.append("ECMF")
            if hiv == "HSTP":
                eligibility.append("ECCP")
            if hiv == "HHEI":
                eligibility.append("ECHEI")
            with date_rules.entered_on(registered):
                enrolment = services.child_enrol(
                    actor=_as(worker, organisation),
                    household=household,
                    child=child,
                    registration_date=registered,
                    eligibility=eligibility,
                    hiv_status=hiv,
                    school_level=school,
                    entry_point="facility" if positive else "community",
                    art_status="ARAR" if hiv == "HSTP" else ("ARPR" if hiv == "HHEI" else ""),
                    facility="Mbagathi County Hospital" if positive else "",
                    ccc_number=f"13939-{h_index:02d}{c_index:03d}" if hiv == "HSTP" else "",
                    school_class={"SLPR": "Grade 5", "SLSE": "Form 2", "SLEC": "PP2"}.get(
                        school, ""
                    ),
                    birth_certificate=(h_index + c_index) % 3 != 0,
                    immunisation="IMFU" if child_age < 5 else "",
                )
            enrolled += 1
            for quarter, day in enumerate(service_days):
                if day < registered:
                    continue
                domain, service, provider = SERVICES[(h_index + c_index + quarter) % 4]
                with date_rules.entered_on(day):
                    services.service_record(
                        actor=_as(worker, organisation),
                        enrolment=enrolment,
                        domain=domain,
                        service=service,
                        provider=provider,
                        date=day,
                        place=village,
                    )
            enrolments.append(enrolment)
        _follow_up(organisation, worker, household, enrolments, cpara, h_index, service_days)
    return enrolled


def _follow_up(organisation, worker, household, enrolments, cpara, h_index, service_days):
    """CPARA, case plan, wellbeing, HIV screening and management, exits of one household."""
    today = timezone.localdate()
    # exits fall in the current quarter, so this quarter's OVC_SERV shows them
    exit_day = max(_quarter_start(today), today - timedelta(days=14))
    answers = {n: "yes" if a == "y" else "no" for n, a in enumerate(cpara, start=1)}
    assessed = service_days[1]
    if h_index == GRADUATING:  # a first assessment, then the one that meets every benchmark
        with date_rules.entered_on(service_days[0]):
            services.cpara_record(
                actor=_as(worker, organisation),
                household=household,
                assessed_on=service_days[0],
                answers={**YES_ALL, 3: "no", 9: "no"},
            )
        assessed = today - timedelta(days=30)
    with date_rules.entered_on(assessed):
        services.cpara_record(
            actor=_as(worker, organisation),
            household=household,
            assessed_on=assessed,
            answers=answers,
        )
    missed = [n for n, a in answers.items() if a == "no"]
    domain = "healthy" if not missed or missed[0] <= 4 else ("stable" if missed[0] == 5 else "safe")
    item = services.case_plan_item_add(
        actor=_as(worker, organisation),
        household=household,
        domain=domain,
        goal=PLAN_LINES[domain][0],
        gap=PLAN_LINES[domain][1],
        services=PLAN_LINES[domain][2],
        responsible="chv",
        due_date=today + timedelta(days=60),
    )
    if h_index % 2 == 0:
        services.case_plan_item_complete(
            actor=_as(worker, organisation),
            item=item,
            completed_on=today - timedelta(days=5),
            achieved=True,
            result_notes="Confirmed at the home visit.",
        )
    with date_rules.entered_on(service_days[1]):
        services.wellbeing_record(
            actor=_as(worker, organisation),
            household=household,
            kind="WBG",
            assessed_on=service_days[1],
            answers={
                key: (i + h_index) % 4 != 0
                for i, (key, _d, _l) in enumerate(services.wellbeing_questions("WBG"))
            },
        )
    visited = today - timedelta(days=10 + h_index)
    with date_rules.entered_on(visited):
        household_visit_record(
            actor=_as(worker, organisation),
            household=household,
            visited_on=visited,
            outcome="met",
            purposes=["routine", "case_plan"] if h_index % 2 else ["routine", "services"],
            children_seen=[e.pk for e in enrolments],
            caregiver_present=True,
            observations="Children at home after school; caregiver shared the clinic card.",
            next_visit_on=today + timedelta(days=20),
        )
    for enrolment in enrolments:
        if enrolment.hiv_status == "HSTP":
            with date_rules.entered_on(service_days[2]):
                services.hiv_management_visit_record(
                    actor=_as(worker, organisation),
                    enrolment=enrolment,
                    visit_date=service_days[2],
                    adherence="good",
                    current_regimen="TLD (dolutegravir-based)",
                    viral_load=400 + 300 * h_index,
                    viral_load_date=service_days[1],
                    treatment_supporter="Caregiver",
                    next_appointment=today + timedelta(days=30),
                )
        elif enrolment.hiv_status == "HSKN" and enrolment.registration_date < service_days[1]:
            screened = service_days[1]
            with date_rules.entered_on(screened + timedelta(days=7)):
                if h_index % 2:  # a risk: test required, referred, result recorded
                    screening = services.hiv_screening_record(
                        actor=_as(worker, organisation),
                        enrolment=enrolment,
                        screened_on=screened,
                        status_known="HSKN",
                        tested_last_6_months=False,
                        risks=["persistently_sick"],
                        consent_on=screened,
                        referred_on=screened,
                    )
                    services.hiv_referral_result_record(
                        actor=_as(worker, organisation),
                        screening=screening,
                        test_result="HSTN",
                        referral_completed_on=screened + timedelta(days=7),
                    )
                else:  # no risk: no test required
                    services.hiv_screening_record(
                        actor=_as(worker, organisation),
                        enrolment=enrolment,
                        screened_on=screened,
                        status_known="HSKN",
                        tested_last_6_months=False,
                        risks=[],
                    )
    if h_index == GRADUATING:
        for enrolment in enrolments:
            services.enrolment_exit(
                actor=_as(worker, organisation),
                enrolment=enrolment,
                exit_reason="ERCP",
                exit_date=exit_day,
                exit_notes="Every CPARA benchmark met; the household graduates.",
            )
    if h_index == RELOCATED[0]:
        services.enrolment_exit(
            actor=_as(worker, organisation),
            enrolment=enrolments[RELOCATED[1]],
            exit_reason="ERRL",
            exit_date=exit_day,
            exit_notes="The child moved to an aunt in Machakos.",
        )
