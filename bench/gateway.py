"""Cost of the sharing gateway: reading a child's case summary from another organisation
through the gateway, versus the provider reading the same row locally, in one run.

The gateway call checks the agreement (requester, kind, fields, person), switches to the
provider's schema, reads in a read-only transaction and writes three access-log entries
(provider, requester, platform), all in one transaction. The local read is what a case page
does: the same query in the organisation's own schema, then one access-log entry (its own
transaction). Prints both medians and the ratio (target: at most 1.5), and the local read
without its log entry with the ratio of the local read with and without it (issue 14
target: at most 1.5), and two references measured in the same loop: the local read followed
by the bare entry (the same prepared INSERT committed by plain psycopg on a connection of its
own, no Django: the least a durable entry can cost, i.e. the commit waiting for the disk), and
the local read with its entry under the operator's quiet commit
(``CPIMS_AUDIT_ACCESS_ASYNC_COMMIT``). The local variants are interleaved among themselves;
the gateway alternates with the local read with its entry in a loop of its own (see the
comments there for why). Then the same as pages: the requester's shared-records
page of the child versus the provider's own page of the child, through the full middleware
stack.

    .venv/bin/python bench/gateway.py [--reads 2000]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._setup import setup_django  # noqa: E402

FIELDS = ["national_reference", "date_reported", "status", "category_codes", "risk_level"]


def _organisation(slug: str, name: str, county: str):
    from provisioning.services import organisation_provision
    from tenants.models import Organisation
    from tenants.services import organisation_create

    organisation = Organisation.objects.filter(slug=slug).first() or organisation_create(
        name=name, slug=slug, kind="cci", county_code=county
    )
    return organisation_provision(organisation=organisation)


def _user(email: str, **extra):
    from tenants.models import User

    return User.objects.filter(email=email).first() or User.objects.create_user(
        email=email, password=None, **extra
    )


def _median_us(samples: list[int]) -> float:
    # (no `import statistics`: bench/statistics.py, named by its issue, would shadow it)
    return sorted(samples)[len(samples) // 2] / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reads", type=int, default=2000)
    args = parser.parse_args()
    setup_django("cpims_bench_gateway")

    from django.db import connection
    from django.utils import timezone

    from audit.services import access_record
    from case_apps.cases import services as cases
    from case_apps.cases.models import CaseRecord
    from case_apps.cases.sharing import case_summary_rows
    from case_apps.lists.services import lists_load_national
    from shared_registry.services import person_register
    from sharing import gateway, services
    from sharing.models import DataSharingAgreement
    from tenants.actor import Actor, member_actor
    from tenants.models import PlatformRole, Role
    from tenants.schema import activate_public, activate_workspace, workspace_context
    from tenants.services import membership_grant

    lists_load_national()
    provider = _organisation("bench-provider", "Bench provider", "047")
    requester = _organisation("bench-requester", "Bench requester", "042")
    provider_admin = _user("admin@bench-provider.test")
    requester_admin = _user("admin@bench-requester.test")
    worker = _user("worker@bench-requester.test")
    viewer = _user("viewer@bench-provider.test")  # sees every case; no second factor needed
    approver = _user("sharing@bench.test", platform_roles=[PlatformRole.SHARING_APPROVER])
    for user, organisation, role in (
        (provider_admin, provider, Role.ORGANISATION_ADMIN),
        (requester_admin, requester, Role.ORGANISATION_ADMIN),
        (worker, requester, Role.CASE_WORKER),
        (viewer, provider, Role.VIEWER),
    ):
        if not user.memberships.filter(organisation=organisation).exists():
            membership_grant(user=user, organisation=organisation, roles=[role])

    with workspace_context(provider):
        case = CaseRecord.objects.filter(reporter_name="bench gateway").first()
        if case is None:
            child = person_register(
                first_name="Bench", surname="Gateway", sex="SFEM", date_of_birth=date(2015, 1, 2)
            )
            case = cases.case_open(
                organisation=provider,
                actor=member_actor(provider_admin, provider),
                child=child,
                date_reported=timezone.localdate() - timedelta(days=3),
                how_reported="walk_in",
                reporter_type="CRMO",
                reporter_name="bench gateway",
                risk_level="RLHG",
                categories=[cases.CategoryInput(category_code="CSIC", sub_category_codes=["NDED"])],
            )
        child = case.child
    activate_public()
    today = timezone.localdate()
    if not DataSharingAgreement.objects.filter(
        requester=requester, provider=provider, status="active", end_date__gte=today
    ).exists():
        agreement = services.agreement_request(
            requester=requester,
            provider=provider,
            actor=member_actor(requester_admin, requester),
            scope={"case_summary": FIELDS},
            persons_mode="named",
            person_ids=[child.pk],
            purpose="Benchmark",
            legal_basis="Benchmark",
            start_date=today,
            end_date=today + timedelta(days=30),
        )
        services.agreement_accept(agreement=agreement, actor=member_actor(provider_admin, provider))
        services.agreement_approve(agreement=agreement, actor=Actor(user=approver))

    reader = member_actor(worker, requester)  # as the request's door builds it

    def through_gateway() -> None:
        [shared] = gateway.read(
            actor=reader,
            record_kind="case_summary",
            person=child,
            fields=FIELDS,
        )
        assert shared.rows

    def local_logged() -> None:  # as a case page does it: the read, then its entry
        rows = case_summary_rows(child.pk, FIELDS)
        access_record(actor=provider_admin, record_kind="case", record_id=child.cpims_id)
        assert rows

    def local_bare() -> None:
        assert case_summary_rows(child.pk, FIELDS)

    import os

    import psycopg
    from django.conf import settings

    floor_connection = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
    floor_sql = (
        f'INSERT INTO "{provider.schema_name}".audit_workspace_accessentry (occurred_at, '  # noqa: S608
        "actor_id, actor_email, organisation_slug, record_kind, record_id, purpose, "
        "membership_id, agreement_id, remote_addr, path, method, cid) VALUES (%s, %s, %s, %s, "
        "'case', %s, '', NULL, NULL, NULL, '', '', '') RETURNING id"
    )

    def local_floor() -> None:  # the read, then the bare durable entry (no Django)
        rows = case_summary_rows(child.pk, FIELDS)
        floor_connection.execute(
            floor_sql,
            [
                timezone.now(),
                provider_admin.pk,
                provider_admin.email,
                provider.slug,
                child.cpims_id,
            ],
            prepare=True,
        ).fetchone()
        assert rows

    def local_quiet() -> None:  # the read, then its entry committed without the disk wait
        durable = settings.CPIMS_AUDIT_ACCESS_ASYNC_COMMIT
        settings.CPIMS_AUDIT_ACCESS_ASYNC_COMMIT = True
        try:
            local_logged()
        finally:
            settings.CPIMS_AUDIT_ACCESS_ASYNC_COMMIT = durable

    gateway_ns, local_ns, bare_ns, floor_ns, quiet_ns = [], [], [], [], []

    def activate(organisation) -> None:
        # A request on that organisation's host. django-tenants sends `SET search_path` on
        # the first cursor after a switch: send it here, outside the clock, so that no
        # variant is charged the switch's round trip (every page pays it, with or without
        # an access entry).
        activate_workspace(organisation)
        connection.cursor().close()

    def timed(variant, samples: list[int]) -> None:
        start = time.perf_counter_ns()
        variant()
        samples.append(time.perf_counter_ns() - start)

    local_variants = [
        (local_logged, local_ns),
        (local_bare, bare_ns),
        (local_floor, floor_ns),
        (local_quiet, quiet_ns),
    ]
    # The local variants among themselves, interleaved so that drift hits them equally. Not
    # interleaved with the gateway: its ROLLBACK TO SAVEPOINT makes psycopg forget the
    # connection's prepared statements (DEALLOCATE ALL, then each prepared again on its next
    # use), a cost of the gateway's call that would land on whichever entry comes next.
    activate(provider)
    for _ in range(100):  # warm-up
        for variant, _samples in local_variants:
            variant()
    for _ in range(args.reads):
        for variant, samples in local_variants:
            timed(variant, samples)
    # The gateway against the local read with its entry, alternating as before (the local
    # read after each gateway call pays the re-preparing: the gateway/local ratio is the
    # one measured since issue 13, comparable with its history).
    gateway_local_ns: list[int] = []
    for round_ in range(100 + args.reads):
        activate(requester)
        timed(through_gateway, gateway_ns if round_ >= 100 else [])
        activate(provider)
        timed(local_logged, gateway_local_ns if round_ >= 100 else [])
    activate_public()
    floor_connection.close()

    # The same comparison as a user sees it: the requester's shared-records page of the child
    # (through the gateway) versus the provider's own page of the child (a local read).
    from django.test import Client
    from django.test.utils import override_settings

    from tenants.services import SESSION_HOST_KEY

    def client_for(organisation, user) -> Client:
        client = Client(HTTP_HOST=f"{organisation.slug}.localhost")
        client.force_login(user)
        session = client.session
        session[SESSION_HOST_KEY] = organisation.schema_name
        session.save()
        return client

    shared_page = client_for(requester, worker)
    own_page = client_for(provider, viewer)
    shared_url, own_url = f"/sharing/children/{child.pk}/", f"/cases/children/{child.pk}/"
    pages = max(200, args.reads // 4)
    shared_page_ns, own_page_ns = [], []
    # The shared page counts as a registry look-up of its member (30 a minute by default):
    # the bench's own member is not held to it here, or most pages would be the 429 refusal.
    # Only this process is lifted; the app's limit is unchanged.
    lookups = 10 * (pages + 20) + 1000
    with override_settings(REGISTRY_LOOKUPS_PER_MINUTE=lookups, REGISTRY_LOOKUPS_PER_DAY=lookups):
        assert case.national_reference.encode() in shared_page.get(shared_url).content
        assert own_page.get(own_url).status_code == 200
        for _ in range(20):
            shared_page.get(shared_url)
            own_page.get(own_url)
        for _ in range(pages):
            start = time.perf_counter_ns()
            answer = shared_page.get(shared_url)
            shared_page_ns.append(time.perf_counter_ns() - start)
            assert answer.status_code == 200, answer.status_code  # every figure is a page
            start = time.perf_counter_ns()
            answer = own_page.get(own_url)
            own_page_ns.append(time.perf_counter_ns() - start)
            assert answer.status_code == 200, answer.status_code
    activate_public()

    gateway_median, local_median = _median_us(gateway_ns), _median_us(local_ns)
    shared_median, own_median = _median_us(shared_page_ns), _median_us(own_page_ns)
    print(f"reads per variant:                      {args.reads}")
    print(f"through the gateway (3 log entries):    median {gateway_median:8.1f} us")
    print(f"local read with its access-log entry:   median {local_median:8.1f} us")
    print(f"local read, no log (reference):         median {_median_us(bare_ns):8.1f} us")
    print(f"ratio local with log / without (<= 1.50): {local_median / _median_us(bare_ns):.3f}")
    floor_median, quiet_median = _median_us(floor_ns), _median_us(quiet_ns)
    print(f"local read + bare durable entry (floor): median {floor_median:8.1f} us")
    print(f"  ratio floor / without:                {floor_median / _median_us(bare_ns):.3f}")
    print(f"local read with its entry, quiet commit: median {quiet_median:8.1f} us")
    print(f"  ratio quiet / without:                {quiet_median / _median_us(bare_ns):.3f}")
    paired_local = _median_us(gateway_local_ns)
    print(f"local read with its entry, beside the gateway: median {paired_local:8.1f} us")
    print(f"ratio gateway / local (target <= 1.50): {gateway_median / paired_local:.3f}")
    print(f"pages per variant:                      {pages}")
    print(f"shared child page (gateway):            median {shared_median:8.1f} us")
    print(f"the provider's own child page (local):  median {own_median:8.1f} us")
    print(f"ratio of the pages:                     {shared_median / own_median:.3f}")


if __name__ == "__main__":
    main()
