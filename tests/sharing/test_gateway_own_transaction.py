"""The gateway in autocommit mode (a plain request): it runs its own transaction, with BEGIN
and COMMIT folded into its batches, and leaves the connection as it found it.

Every other gateway test runs inside the test's transaction, where the gateway nests. This
one needs committed data and a connection in autocommit mode: a module fixture commits two
organisations of its own (so the shared logs of acme and beta stay untouched), and each read
runs in a thread, whose connection is a fresh one in autocommit mode. The fixture drops it
all afterwards (except the append-only log rows of the platform log).
"""

from __future__ import annotations

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection, connections
from django.utils import timezone
from psycopg import pq

from audit.models import PlatformAccessEntry
from audit.workspace.models import AccessEntry
from shared_registry.models import Person, PersonLink
from sharing import gateway, services
from sharing.gateway import SharingRefused
from tenants.actor import Actor, member_actor
from tenants.models import OrganisationKind, PlatformRole, Role
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child, open_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VILLAGE = "ZQXAUTOCOMMITVILLAGE"


@pytest.fixture(scope="module")
def committed(django_db_setup, django_db_blocker, national_lists):
    from provisioning import blueprint
    from sharing.models import DataSharingAgreement
    from tenants.models import Organisation, User

    slugs, emails = (
        ("gw-requester", "gw-provider"),
        [
            "worker@gw-requester.test",
            "admin@gw-requester.test",
            "admin@gw-provider.test",
            "sharing@gw.test",
        ],
    )

    def clean_up() -> None:  # by name, so that a set-up failing half-way is cleaned up too
        with django_db_blocker.unblock():
            organisations = Organisation.objects.filter(slug__in=slugs)
            DataSharingAgreement.objects.filter(requester__in=organisations).delete()
            for organisation in organisations:
                blueprint.schema_drop(organisation.schema_name)
                organisation.delete()
            User.objects.filter(email__in=emails).delete()
            # the child too: other modules' tests look for no ZAWADI in the registry
            PersonLink.objects.filter(person__surname="AUTOCOMMIT").delete()
            Person.objects.filter(surname="AUTOCOMMIT").delete()

    try:
        yield _commit(django_db_blocker)
    finally:
        clean_up()


def _commit(django_db_blocker) -> dict:
    from provisioning.services import organisation_provision
    from tenants.services import membership_grant, organisation_create

    with django_db_blocker.unblock():
        requester, provider = (
            organisation_provision(
                organisation=organisation_create(
                    name=f"Gateway {slug}",
                    slug=f"gw-{slug}",
                    kind=OrganisationKind.IMPLEMENTING_PARTNER,
                    county_code="047",
                )
            )
            for slug in ("requester", "provider")
        )
        worker = UserFactory(email="worker@gw-requester.test")
        requester_admin = UserFactory(email="admin@gw-requester.test")
        provider_admin = UserFactory(email="admin@gw-provider.test")
        approver = UserFactory(
            email="sharing@gw.test", platform_roles=[PlatformRole.SHARING_APPROVER]
        )
        membership_grant(user=worker, organisation=requester, roles=[Role.CASE_WORKER])
        membership_grant(
            user=requester_admin, organisation=requester, roles=[Role.ORGANISATION_ADMIN]
        )
        membership_grant(
            user=provider_admin, organisation=provider, roles=[Role.ORGANISATION_ADMIN]
        )
        child = make_child("Zawadi", "Autocommit")
        open_case(provider, provider_admin, child, occurrence_village=VILLAGE)
        today = timezone.localdate()
        agreement = services.agreement_request(
            requester=requester,
            provider=provider,
            actor=Actor(user=requester_admin),
            scope={"case_summary": ["occurrence_village"]},
            persons_mode="named",
            person_ids=[child.pk],
            purpose="Autocommit test",
            legal_basis="Test",
            start_date=today,
            end_date=today + timedelta(days=5),
        )
        services.agreement_accept(agreement=agreement, actor=Actor(user=provider_admin))
        services.agreement_approve(agreement=agreement, actor=Actor(user=approver))
    return {
        "requester": requester,
        "provider": provider,
        "worker": worker,
        "child": child,
        "provider_admin": provider_admin,
    }


def _in_a_thread(committed, fields=("occurrence_village",)):
    """Read through the gateway on a fresh connection in autocommit mode, on the requester's
    host; the result or the error, and the state the gateway left the connection in."""
    outcome = {}

    def run():
        try:
            with workspace_context(committed["requester"]):
                try:
                    outcome["result"] = gateway.read(
                        actor=member_actor(committed["worker"], committed["requester"]),
                        record_kind="case_summary",
                        person=committed["child"],
                        fields=list(fields),
                    )
                finally:
                    outcome["autocommit"] = connection.get_autocommit()
                    outcome["status"] = connection.connection.info.transaction_status
                    outcome["schema_name"] = connection.schema_name
                    with connection.cursor() as cursor:
                        cursor.execute("SHOW search_path")
                        outcome["search_path"] = cursor.fetchone()[0]
        except Exception as exc:  # noqa: BLE001 (handed back to the test)
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return outcome


def _entries(committed) -> tuple[int, int, int]:
    counts = []
    for organisation in (committed["requester"], committed["provider"]):
        with workspace_context(organisation):
            counts.append(AccessEntry.objects.filter(record_id=committed["child"].cpims_id).count())
    counts.append(PlatformAccessEntry.objects.filter(record_id=committed["child"].cpims_id).count())
    return tuple(counts)


def test_a_read_commits_its_three_log_entries_and_leaves_the_connection_idle(committed):
    before = _entries(committed)
    outcome = _in_a_thread(committed)
    assert "error" not in outcome, outcome.get("error")
    [shared] = outcome["result"]
    assert shared.rows == [{"occurrence_village": VILLAGE}]
    assert _entries(committed) == tuple(n + 1 for n in before)  # committed, seen from here
    assert outcome["autocommit"] is True
    assert outcome["status"] == pq.TransactionStatus.IDLE  # COMMIT was sent
    assert outcome["schema_name"] == committed["requester"].schema_name
    assert committed["requester"].schema_name in outcome["search_path"].split(",")[0]


def test_a_failing_read_rolls_back_and_logs_nothing(committed):
    before = _entries(committed)

    def broken_reader(person_id, fields):
        raise RuntimeError("the provider's table is gone")

    kind = gateway.record_kind_get("case_summary")
    broken = type(kind)(kind.name, kind.label, kind.fields, broken_reader)
    with mock.patch("sharing.gateway.record_kind_get", return_value=broken):
        outcome = _in_a_thread(committed)
    assert isinstance(outcome["error"], RuntimeError)
    assert _entries(committed) == before
    assert outcome["status"] == pq.TransactionStatus.IDLE  # ROLLBACK was sent
    assert outcome["schema_name"] == committed["requester"].schema_name


def test_a_write_in_the_reader_is_refused_and_leaves_nothing(committed):
    before = _entries(committed)

    def writer(person_id, fields):
        with connection.cursor() as cursor:
            cursor.execute("UPDATE cases_caserecord SET occurrence_village = 'changed'")
        return []

    kind = gateway.record_kind_get("case_summary")
    spy = type(kind)(kind.name, kind.label, kind.fields, writer)
    with mock.patch("sharing.gateway.record_kind_get", return_value=spy):
        outcome = _in_a_thread(committed)
    assert "read-only" in str(outcome["error"])
    assert _entries(committed) == before
    assert outcome["status"] == pq.TransactionStatus.IDLE
    with workspace_context(committed["provider"]):
        from case_apps.cases.models import CaseRecord

        assert CaseRecord.objects.get(child_id=committed["child"].pk).occurrence_village == VILLAGE


def test_a_refusal_sends_nothing_at_all(committed):
    before = _entries(committed)

    outcome = _in_a_thread(committed, fields=["narrative"])
    assert isinstance(outcome["error"], SharingRefused)
    assert _entries(committed) == before
    assert outcome["status"] == pq.TransactionStatus.IDLE


def test_a_revocation_committed_elsewhere_counts_on_the_next_read(committed):
    """This process remembers the agreement from the reads above; a revocation committed
    by another connection moves the sharing generation, so the next read refuses.
    (Last in the module: the revocation is final.)"""
    from sharing import selectors
    from sharing.models import DataSharingAgreement

    assert (committed["requester"].pk, "case_summary") in selectors._known
    outcome = {}

    def revoke():
        try:
            agreement = DataSharingAgreement.objects.get(requester=committed["requester"])
            services.agreement_revoke(
                agreement=agreement,
                actor=Actor(user=committed["provider_admin"]),
                reason="Withdrawn",
            )
        except Exception as exc:  # noqa: BLE001 (handed back to the test)
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=revoke)
    thread.start()
    thread.join()
    assert "error" not in outcome, outcome.get("error")
    before = _entries(committed)
    refused = _in_a_thread(committed)
    assert isinstance(refused["error"], SharingRefused)
    assert refused["error"].reason == "no_agreement"
    assert _entries(committed) == before
