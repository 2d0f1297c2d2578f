"""The gateway: refuses without cover, returns only scoped fields, logs in every log."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from audit.models import PlatformAccessEntry
from audit.workspace.models import AccessEntry
from sharing import gateway, services
from sharing.gateway import SharingRefused
from tenants.actor import Actor, member_actor
from tenants.schema import workspace_context
from tests.case_apps.conftest import open_case
from tests.sharing.conftest import SECRET_NARRATIVE, SHARED_VILLAGE, active_agreement

pytestmark = pytest.mark.django_db


def _read(world, scene, person=None, fields=("occurrence_village",), actor=None):
    return gateway.read(
        actor=member_actor(actor or world.acme_worker, world.acme),
        record_kind="case_summary",
        person=person or scene.child,
        fields=list(fields),
    )


def _log_count(organisation) -> int:
    with workspace_context(organisation):
        return AccessEntry.objects.filter(agreement_id__isnull=False).count()


def test_returns_only_the_scoped_fields_and_logs_in_all_three_logs(world, scene):
    agreement = active_agreement(world, scene)
    [shared] = _read(world, scene, fields=["occurrence_village", "national_reference"])
    assert shared.provider == world.beta and shared.agreement == agreement
    assert shared.rows == [
        {"occurrence_village": SHARED_VILLAGE, "national_reference": scene.case.national_reference}
    ]
    assert SECRET_NARRATIVE not in repr(shared)
    for organisation in (world.beta, world.acme):  # the provider's and the requester's logs
        with workspace_context(organisation):
            entry = AccessEntry.objects.get(agreement_id=agreement.pk)
        assert entry.actor_email == world.acme_worker.email
        assert entry.record_id == scene.child.cpims_id
        assert f"under agreement #{agreement.pk}" in entry.purpose
    entry = PlatformAccessEntry.objects.get(agreement_id=agreement.pk)
    assert entry.purpose.startswith("acme read case_summary from beta")
    assert entry.record_kind == "case_summary"
    assert connection.schema_name == "public"  # the caller's schema is restored


def test_restores_the_requesters_schema(world, scene):
    active_agreement(world, scene)
    with workspace_context(world.acme):
        _read(world, scene)
        assert connection.schema_name == world.acme.schema_name
        assert AccessEntry.objects.filter(agreement_id__isnull=False).count() == 1


def test_reads_in_a_read_only_transaction(world, scene):
    active_agreement(world, scene)

    def writer(person_id, fields):
        with connection.cursor() as cursor:
            cursor.execute("SHOW transaction_read_only")
            return [{"occurrence_village": cursor.fetchone()[0]}]

    kind = gateway.record_kind_get("case_summary")
    spy = type(kind)(kind.name, kind.label, kind.fields, writer)
    with mock.patch("sharing.gateway.record_kind_get", return_value=spy):
        [shared] = _read(world, scene)
    assert shared.rows == [{"occurrence_village": "on"}]
    with connection.cursor() as cursor:  # and nothing of it leaks into the caller's transaction
        cursor.execute("SHOW transaction_read_only")
        assert cursor.fetchone()[0] == "off"


def _refused(world, scene, reason, **kwargs):
    before = (_log_count(world.beta), _log_count(world.acme), PlatformAccessEntry.objects.count())
    with pytest.raises(SharingRefused) as error:
        _read(world, scene, **kwargs)
    assert error.value.reason == reason
    assert SECRET_NARRATIVE not in str(error.value) and SHARED_VILLAGE not in str(error.value)
    after = (_log_count(world.beta), _log_count(world.acme), PlatformAccessEntry.objects.count())
    assert before == after  # a refusal logs nothing
    return error.value


def test_refuses_without_an_agreement(world, scene):
    _refused(world, scene, "no_agreement")


def test_refuses_before_approval(world, scene):
    from tests.sharing.conftest import request_agreement

    agreement = request_agreement(world, scene)
    services.agreement_accept(agreement=agreement, actor=Actor(user=scene.beta_admin))
    _refused(world, scene, "no_agreement")


def test_refuses_an_unshared_field(world, scene):
    active_agreement(world, scene)
    error = _refused(world, scene, "field_not_shared", fields=["occurrence_village", "narrative"])
    assert "narrative" in str(error)


def test_refuses_a_person_out_of_scope(world, scene):
    active_agreement(world, scene)
    _refused(world, scene, "person_out_of_scope", person=scene.other_child)


def test_refuses_someone_who_does_not_see_cases_in_the_requester(world, scene):
    active_agreement(world, scene)
    _refused(world, scene, "not_allowed", actor=world.beta_worker)
    _refused(world, scene, "not_allowed", actor=world.outsider)


def test_refuses_after_revocation_on_the_next_request(world, scene):
    agreement = active_agreement(world, scene)
    assert _read(world, scene)
    services.agreement_revoke(
        agreement=agreement, actor=Actor(user=scene.beta_admin), reason="Withdrawn"
    )
    _refused(world, scene, "no_agreement")


def test_refuses_after_the_end_date_even_before_the_beat_task_runs(world, scene):
    today = timezone.localdate()
    active_agreement(world, scene, end_date=today + timedelta(days=1))
    assert _read(world, scene)
    with mock.patch("sharing.gateway.timezone.localdate", return_value=today + timedelta(days=2)):
        _refused(world, scene, "no_agreement")


def test_persons_known_to_both_and_all_clients_modes(world, scene):
    active_agreement(world, scene, persons_mode="referred", person_ids=[])
    _refused(world, scene, "person_out_of_scope")  # acme does not know the child yet
    open_case(world.acme, world.acme_worker, scene.child)  # a record of acme's own
    assert _read(world, scene)[0].rows[0]["occurrence_village"] == SHARED_VILLAGE
    active_agreement(world, scene, persons_mode="all", person_ids=[])
    assert _read(world, scene, person=scene.other_child)  # beta knows it: all its clients


def test_shared_summary_reads_each_agreements_fields(world, scene):
    active_agreement(world, scene)
    [shared] = gateway.shared_summary(
        actor=member_actor(world.acme_worker, world.acme),
        person=scene.child,
        record_kind="case_summary",
    )
    assert set(shared.rows[0]) == {"national_reference", "occurrence_village"}


# --- the agreements the process remembers, checked against the sharing generation ---------
def _generation() -> int:
    from sharing.selectors import _generation

    return _generation()


def test_every_change_to_agreements_consents_or_organisations_moves_the_generation(world, scene):
    before = _generation()
    agreement = active_agreement(world, scene)
    after_approval = _generation()
    assert after_approval != before
    from sharing.models import DataSharingAgreement
    from tenants.models import Organisation

    DataSharingAgreement.objects.filter(pk=agreement.pk).update(purpose="changed")
    assert _generation() != after_approval  # any code path, even a bare UPDATE
    moved = _generation()
    Organisation.objects.filter(pk=world.beta.pk).update(name="Beta renamed")
    assert _generation() != moved
    moved = _generation()
    Organisation.objects.filter(pk=world.beta.pk).update(status="suspended")
    assert _generation() != moved  # the provider is no longer active
    moved = _generation()
    # a provisioning step's bookkeeping changes nothing an agreement relies on
    Organisation.objects.filter(pk=world.beta.pk).update(provisioning_error="step 2 retried")
    assert _generation() == moved


def test_a_remembered_agreement_changed_behind_the_services_back_is_not_trusted(world, scene):
    from sharing.models import DataSharingAgreement
    from sharing.selectors import _known

    agreement = active_agreement(world, scene)
    assert _read(world, scene, fields=["occurrence_village", "national_reference"])
    assert (world.acme.pk, "case_summary") in _known  # remembered by the read
    DataSharingAgreement.objects.filter(pk=agreement.pk).update(
        scope={"case_summary": ["national_reference"]}
    )
    _refused(world, scene, "field_not_shared", fields=["occurrence_village"])
    assert _read(world, scene, fields=["national_reference"])


def test_a_stale_memory_is_found_before_anything_is_read(world, scene):
    """The generation is checked in the read's first batch: with a stale memory, the reader
    never runs on it; the read is redone on fresh agreements."""
    from sharing import selectors

    agreement = active_agreement(world, scene)
    assert _read(world, scene)
    services.agreement_revoke(
        agreement=agreement, actor=Actor(user=scene.beta_admin), reason="Withdrawn"
    )
    remembered = selectors._known[(world.acme.pk, "case_summary")]
    assert [a.pk for a in remembered.agreements] == [agreement.pk]  # stale on purpose
    kind = gateway.record_kind_get("case_summary")
    calls = []
    spy = type(kind)(kind.name, kind.label, kind.fields, lambda *a: calls.append(a) or [])
    with (
        mock.patch("sharing.gateway.record_kind_get", return_value=spy),
        mock.patch.object(
            selectors, "agreements_in_force_known", wraps=selectors.agreements_in_force_known
        ) as known,
        pytest.raises(SharingRefused),
    ):
        _read(world, scene)
    assert calls == []
    assert [c.kwargs["fresh"] for c in known.call_args_list] == [False, True]


def test_an_agreement_approved_after_a_refusal_counts_at_once(world, scene):
    from tests.sharing.conftest import request_agreement

    agreement = request_agreement(world, scene)
    services.agreement_accept(agreement=agreement, actor=Actor(user=scene.beta_admin))
    _refused(world, scene, "no_agreement")  # remembered: none in force
    services.agreement_approve(agreement=agreement, actor=Actor(user=scene.approver))
    [shared] = _read(world, scene)
    assert shared.rows == [{"occurrence_village": SHARED_VILLAGE}]
