"""Demo cases for the embedded mode: a believable caseload in one organisation."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from case_apps.cases import services
from case_apps.cases.models import CaseRecord, Supervision
from case_apps.cases.services.court import court_session_record
from case_apps.cases.services.interventions import FinalIntervention
from shared_registry.services import person_register
from tenants.actor import member_actor
from tenants.models import Organisation, User

CHILDREN = [
    # first name, surname, sex, years old, category, sub-categories, risk
    ("Akinyi", "Otieno", "SFEM", 9, "CSIC", ["NDED", "NDHS"], "RLMD"),
    ("Brian", "Kiprotich", "SMAL", 14, "CTRF", ["LBMQ"], "RLHG"),
    ("Wanjiru", "Kamau", "SFEM", 12, "CCDF", [], "RLHG"),
    ("Hassan", "Abdi", "SMAL", 6, "CIDC", ["OCTO"], "RLMD"),
    ("Zawadi", "Njeri", "SFEM", 16, "CCCM", [], "RLHG"),
    ("Kevin", "Ochieng", "SMAL", 11, "CCIP", [], "RLLW"),
]


@transaction.atomic
def cases_load_demo(*, organisation: Organisation, worker: User, supervisor: User) -> int:
    """Six children with cases, follow-ups, a referral and a closure waiting for approval.
    Does nothing when the organisation already has cases."""
    if CaseRecord.objects.exists():
        return 0
    Supervision.objects.get_or_create(supervisor=supervisor, officer=worker)
    actor = member_actor(worker, organisation)
    today = timezone.localdate()
    opened = []
    for index, (first, surname, sex, age, category, subs, risk) in enumerate(CHILDREN):
        child = person_register(
            first_name=first,
            surname=surname,
            sex=sex,
            birth_year=today.year - age,
            county_code="042",
            sub_county_code="240",
            created_by=worker,
            organisation=organisation,
            queue_duplicates=False,
        )
        opened.append(
            services.case_open(
                actor=actor,
                child=child,
                date_reported=today - timedelta(days=40 - index * 6),
                how_reported=["walk_in", "helpline", "police", "referral"][index % 4],
                reporter_type=["CRMO", "CRHE", "CRPO", "CRCH"][index % 4],
                risk_level=risk,
                occurrence_county_code="042",
                occurrence_sub_county_code="240",
                categories=[
                    services.CategoryInput(category_code=category, sub_category_codes=subs)
                ],
                immediate_needs=["ESEC"] if risk == "RLHG" else [],
                narrative="Demo case: reported at the office and assessed the same day.",
            )
        )
    services.follow_up_record(
        organisation=organisation,
        case=opened[1],
        actor=actor,
        follow_up_type="HVIS",
        date=today - timedelta(days=20),
        notes="Home visit: caregiver agreed to a plan.",
    )
    court_session_record(
        case=opened[2],
        actor=actor,
        session_date=today - timedelta(days=10),
        court_name="Kisumu Children's Court",
        session_type="STMN",
        outcome="CADJ",
        adjournment_reason="CHEA",
        next_court_date=today + timedelta(days=14),
    )
    services.referral_record(
        organisation=organisation,
        case=opened[2],
        actor=actor,
        actor_type="RDSA",
        destination="RDPH",
        reasons=["RMTX", "RMPP"],  # one hospital for the examination and PEP
        referred_on=today - timedelta(days=12),
        destination_name="Jaramogi Oginga Odinga Teaching and Referral Hospital",
    )
    services.closure_request(
        case=opened[5],
        actor=actor,
        closure_reason="COEN",
        notes="Reunited with his family; follow-up visits show he is settled.",
        closed_on=today,
        final_interventions=[
            FinalIntervention(category.pk, "REUN") for category in opened[5].categories.all()
        ],
    )
    return len(opened)
