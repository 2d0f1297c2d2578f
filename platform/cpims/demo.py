"""Demo data for the embedded mode: DCS headquarters users, one CCI, one implementing partner,
a sub-county children office and a statutory institution.

Idempotent: running it again changes nothing that exists.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from case_apps.cases.demo import cases_load_demo
from case_apps.cases.models import CaseRecord
from case_apps.family_care.demo import family_care_load_demo
from case_apps.institutions.demo_admissions import admissions_load_demo
from case_apps.institutions.demo_life import life_load_demo
from case_apps.institutions.demo_residents import capacity_load_demo
from case_apps.institutions.demo_vacancies import vacancy_load_demo
from case_apps.lists.services import lists_load_national
from case_apps.ovc.demo import ovc_load_demo
from case_apps.ovc.demo_form1b import form1b_load_demo
from case_apps.ovc.demo_graduation import ovc_graduation_demo
from case_apps.ovc.demo_hiv import hiv_load_demo
from national_statistics.demo import dhis2_mapping_load_demo
from national_statistics.drain import drain_organisation
from provisioning.services import organisation_provision
from shared_registry.demo import registry_load_demo
from shared_registry.geography import geography_load
from shared_registry.models import Person
from sharing.demo import agreements_load_demo, subject_request_load_demo, transfer_load_demo
from tenants.demo_codes import organisations_codes_demo
from tenants.models import Organisation, OrganisationKind, PlatformRole, Role, User
from tenants.schema import workspace_context
from tenants.services import membership_grant, organisation_create, user_create


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    where: str  # organisation slug, or "" for the platform site
    roles: tuple[str, ...]


DEMO_ORGANISATIONS = [
    {
        "name": "Tumaini Children's Home",
        "slug": "tumaini",
        "kind": OrganisationKind.CCI,
        "county_code": "042",
        "sub_county_code": "240",
        "registration_number": "CCI/KSM/0117",
    },
    {
        "name": "Imara OVC Partners",
        "slug": "imara",
        "kind": OrganisationKind.IMPLEMENTING_PARTNER,
        "county_code": "047",
        "sub_county_code": "274",
        "registration_number": "OP.218/051/19-0412/11873",
    },
    # issue 19: a children officer applies for a statutory institution vacancy for a child
    {
        "name": "Kisumu Central Sub-County Children Office",
        "slug": "kisumu-central",
        "kind": OrganisationKind.DCS_SUB_COUNTY_OFFICE,
        "county_code": "042",
        "sub_county_code": "240",
    },
    {
        "name": "Kisumu Rescue Centre",
        "slug": "kisumu-rescue",
        "kind": OrganisationKind.STATUTORY_INSTITUTION,
        "county_code": "042",
        "sub_county_code": "240",
    },
]

DEMO_ACCOUNTS = [
    DemoAccount("hq.admin@dcs.demo", "Wanjiru Kamau", "", (PlatformRole.NATIONAL_ADMINISTRATOR,)),
    DemoAccount("hq.approver@dcs.demo", "Otieno Odhiambo", "", (PlatformRole.SHARING_APPROVER,)),
    DemoAccount("hq.analyst@dcs.demo", "Achieng Atieno", "", (PlatformRole.ANALYST,)),
    DemoAccount("hq.registry@dcs.demo", "Abdi Mohamed", "", (PlatformRole.REGISTRY_MANAGER,)),
    DemoAccount("admin@tumaini.demo", "Grace Njeri", "tumaini", (Role.ORGANISATION_ADMIN,)),
    DemoAccount("supervisor@tumaini.demo", "Peter Mwangi", "tumaini", (Role.SUPERVISOR,)),
    DemoAccount("worker@tumaini.demo", "Mercy Chebet", "tumaini", (Role.CASE_WORKER,)),
    DemoAccount("admin@imara.demo", "Hassan Abdi", "imara", (Role.ORGANISATION_ADMIN,)),
    DemoAccount("worker@imara.demo", "Faith Wambui", "imara", (Role.CASE_WORKER,)),
    DemoAccount(
        "officer@kisumu-central.demo", "Joseph Ouma", "kisumu-central", (Role.CASE_WORKER,)
    ),
    DemoAccount(
        "admin@kisumu-rescue.demo", "Esther Akinyi", "kisumu-rescue", (Role.ORGANISATION_ADMIN,)
    ),
    DemoAccount("worker@kisumu-rescue.demo", "Daniel Kiprop", "kisumu-rescue", (Role.CASE_WORKER,)),
]


def demo_password() -> str:
    """The demo accounts' password: from CPIMS_DEMO_PASSWORD, else made once per data folder."""
    if os.environ.get("CPIMS_DEMO_PASSWORD"):
        return os.environ["CPIMS_DEMO_PASSWORD"]
    path = settings.LOCAL_DIR / "demo_password"
    if not path.exists():
        settings.LOCAL_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text("demo-" + secrets.token_urlsafe(9) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


def load_demo_data(*, password: str | None = None) -> list[DemoAccount]:
    password = password or demo_password()
    lists_load_national()
    geography_load()
    organisations = {}
    for spec in DEMO_ORGANISATIONS:
        organisation = Organisation.objects.filter(slug=spec["slug"]).first()
        if organisation is None:
            organisation = organisation_create(**spec)
        organisations[spec["slug"]] = organisation_provision(organisation=organisation)
    organisations_codes_demo(organisations)  # type codes, registration, a licence expiring
    registry_load_demo(organisation=organisations["tumaini"])
    with transaction.atomic():
        for account in DEMO_ACCOUNTS:
            user = User.objects.filter(email=account.email).first()
            if user is None:
                platform_roles = account.roles if not account.where else ()
                user = user_create(
                    email=account.email,
                    password=password,
                    full_name=account.full_name,
                    platform_roles=platform_roles,
                    email_verified=True,
                )
            if account.where:
                membership_grant(
                    user=user, organisation=organisations[account.where], roles=account.roles
                )
    tumaini = organisations["tumaini"]
    with workspace_context(tumaini):
        cases_load_demo(
            organisation=tumaini,
            worker=User.objects.get(email="worker@tumaini.demo"),
            supervisor=User.objects.get(email="supervisor@tumaini.demo"),
        )
        # issue 19: tumaini's residents, places, life in the home, a child in foster care
        tumaini_worker = User.objects.get(email="worker@tumaini.demo")
        admissions_load_demo(organisation=tumaini, worker=tumaini_worker)
        capacity_load_demo(organisation=tumaini)
        life_load_demo(organisation=tumaini, worker=tumaini_worker)
        family_care_load_demo(organisation=tumaini, worker=tumaini_worker)
    office = organisations["kisumu-central"]
    with workspace_context(office):  # a vacancy confirmed to the rescue centre, one waiting
        vacancy_load_demo(
            office=office,
            office_worker=User.objects.get(email="officer@kisumu-central.demo"),
            institution=organisations["kisumu-rescue"],
            approver=User.objects.get(email="hq.admin@dcs.demo"),
        )
    imara = organisations["imara"]
    with workspace_context(imara):
        imara_worker = User.objects.get(email="worker@imara.demo")
        ovc_load_demo(organisation=imara, worker=imara_worker)
        ovc_graduation_demo(organisation=imara, worker=imara_worker)
        hiv_load_demo(organisation=imara, worker=imara_worker)
        form1b_load_demo(organisation=imara, worker=imara_worker)
    _sharing_load_demo(tumaini=tumaini, imara=imara)
    # The dashboards read facts: drain now rather than at the first beat a minute later.
    for organisation in organisations.values():
        drain_organisation(organisation)
    # DHIS2 and ADX exports work at once: the nation, areas and demo organisations mapped
    dhis2_mapping_load_demo(organisations=list(organisations.values()))
    return DEMO_ACCOUNTS


def _case_of(first_name: str) -> CaseRecord | None:
    """tumaini's first case of the demo child with this first name (inside its workspace);
    None when the demo cases were never made there (cases existed before the demo)."""
    cases = CaseRecord.objects.order_by("pk")
    child = (
        Person.objects.filter(
            pk__in=list(cases.values_list("child_id", flat=True)), first_name__iexact=first_name
        )
        .order_by("pk")
        .first()
    )
    return cases.filter(child_id=child.pk).first() if child else None


def _sharing_load_demo(*, tumaini: Organisation, imara: Organisation) -> None:
    """imara reads one tumaini child's case summary under an agreement in force, has a
    second request waiting for DCS approval, and a transfer from tumaini in its inbox."""
    users = {u.email: u for u in User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS])}
    with workspace_context(tumaini):
        named, transferred = _case_of("Akinyi"), _case_of("Hassan")
        if transferred is not None:
            transfer_load_demo(
                sender=tumaini,
                receiver=imara,
                worker=users["worker@tumaini.demo"],
                receiver_admin=users["admin@imara.demo"],
                child=transferred.child,
                case_id=transferred.pk,
                case_reference=transferred.national_reference,
            )
    if named is not None:
        agreements_load_demo(
            requester=imara,
            provider=tumaini,
            requester_admin=users["admin@imara.demo"],
            provider_admin=users["admin@tumaini.demo"],
            approver=users["hq.approver@dcs.demo"],
            named_child=named.child,
        )
        subject_request_load_demo(actor=users["hq.admin@dcs.demo"], person=named.child)
