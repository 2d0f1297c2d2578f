"""Statutory institution vacancies (issue 19, point 5): a sub-county office applies from its
case, DCS headquarters confirms or declines, the institution admits the child on the
confirmed vacancy in one transaction; every step recorded and told; only the right side
takes each step."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from case_apps.cases.models import CaseEvent
from case_apps.institutions.models import Admission, AdmissionSource
from case_apps.institutions.services_vacancies import vacancy_admit
from shared_registry.services_residence import residence_current
from sharing.models_vacancies import VacancyApplication, VacancyStatus
from sharing.services_vacancies import vacancy_confirm, vacancy_decline, vacancy_withdraw
from tenants.actor import Actor, Forbidden, NotFound
from tenants.models import Organisation
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, make_child, open_case
from tests.institutions.vacancy_helpers import TODAY, application_fields, apply, confirm

pytestmark = pytest.mark.django_db


def test_apply_confirm_admit_the_whole_flow(
    world, institutions_world, django_capture_on_commit_callbacks
):
    iw = institutions_world
    with django_capture_on_commit_callbacks(execute=True):
        application = apply(iw)
    assert application.status == VacancyStatus.APPLIED
    assert application.applied_on == TODAY()
    assert mail.outbox[-1].to == [world.hq_admin.email]  # HQ is told, naming no child
    assert "Atieno" not in mail.outbox[-1].body
    with workspace_context(iw.office):
        assert CaseEvent.objects.filter(
            case_id=application.applicant_case_id, action="vacancy_applied"
        ).exists()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = confirm(world, iw, application, months=9)
    assert confirmed.status == VacancyStatus.CONFIRMED
    assert (confirmed.institution, confirmed.months_approved) == (iw.rescue, 9)
    assert confirmed.decided_by == world.hq_admin and confirmed.decided_on == TODAY()
    told = {address for message in mail.outbox[-1:] for address in message.to}
    assert {iw.office_worker.email, iw.rescue_worker.email} <= told

    with workspace_context(iw.rescue), django_capture_on_commit_callbacks(execute=True):
        admission = vacancy_admit(
            actor=actor_of(iw.rescue, iw.rescue_worker),
            application=application.pk,
            admitted_on=TODAY(),
            admission_reason="RACP",
            category="CDIS",
        )
        assert admission.source == AdmissionSource.VACANCY
        assert admission.vacancy_id == application.pk
        assert admission.admission_type == "TANA"
        assert (admission.committal_period, admission.committal_period_unit) == (9, "months")
        assert admission.committal_court == "Kisumu Law Courts"
        assert admission.committal_order_number == "CR 12/2026"
        assert admission.expected_exit_on is not None
    application.refresh_from_db()
    assert application.status == VacancyStatus.ADMITTED
    assert (application.admission_id, application.admitted_on) == (admission.pk, TODAY())
    assert residence_current(application.person_id).organisation == iw.rescue
    assert iw.office_worker.email in mail.outbox[-1].to
    kinds = list(application.events.values_list("kind", "acting_as"))
    assert kinds == [
        ("applied", "applicant"),
        ("confirmed", "dcs"),
        ("admitted", "institution"),
    ]


def test_one_open_application_per_child(world, institutions_world):
    iw = institutions_world
    child = make_child("Baraka", "Twice")
    first = apply(iw, child=child)
    with pytest.raises(ValidationError) as refused:
        apply(iw, child=child)
    assert f"#{first.pk}" in str(refused.value)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds it too
        VacancyApplication.objects.create(
            **{
                f.name: getattr(first, f.name)
                for f in VacancyApplication._meta.concrete_fields
                if f.name not in ("id", "uuid")
            }
            | {"id": None}
        )
    vacancy_decline(actor=Actor(user=world.hq_admin), application=first, reason="No space")
    again = apply(iw, child=child)  # once closed, the child may be applied for again
    assert again.status == VacancyStatus.APPLIED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"court_number": ""}, "court_number"),
        ({"judge": " "}, "judge"),
        ({"court": "x" * 201}, "court"),
        ({"next_mention_on": None}, "next_mention_on"),
        ({"institution_type": "TNRC"}, "institution_type"),  # a CCI is not statutory
    ],
)
def test_bad_applications_name_the_field_and_save_nothing(
    world, institutions_world, overrides, field
):
    before = VacancyApplication.objects.count()
    with pytest.raises(ValidationError) as refused:
        apply(institutions_world, **overrides)
    assert field in refused.value.message_dict
    assert VacancyApplication.objects.count() == before


def test_a_next_mention_already_past_is_refused(world, institutions_world):
    with pytest.raises(ValidationError) as refused:
        apply(institutions_world, next_mention_on=TODAY() - timedelta(days=1))
    assert "next_mention_on" in refused.value.message_dict


def test_only_dcs_offices_apply(world, institutions_world):
    case = open_case(world.acme, world.acme_worker)
    from case_apps.institutions.services_vacancies import vacancy_apply_from_case

    with workspace_context(world.acme), pytest.raises(Forbidden):
        vacancy_apply_from_case(
            actor=actor_of(world.acme, world.acme_worker), case=case.pk, **application_fields()
        )
    assert not VacancyApplication.objects.filter(applicant=world.acme).exists()


def test_confirmation_rules(world, institutions_world):
    iw = institutions_world
    application = apply(iw)
    hq = Actor(user=world.hq_admin)

    def refused(**overrides) -> dict:
        arguments = {
            "actor": hq,
            "application": application.pk,
            "institution": iw.rescue.pk,
            "months_approved": 6,
        }
        with pytest.raises(ValidationError) as error:
            vacancy_confirm(**(arguments | overrides))
        return error.value.message_dict

    assert "institution" in refused(institution=world.acme.pk)  # a CCI
    assert "institution" in refused(institution=iw.office.pk)
    assert "institution" in refused(institution=None)
    assert "months_approved" in refused(months_approved=0)
    assert "months_approved" in refused(months_approved=61)
    assert "decided_on" in refused(decided_on=TODAY() + timedelta(days=1))
    assert "decided_on" in refused(decided_on=TODAY() - timedelta(days=1))  # before applying
    application.refresh_from_db()
    assert (
        application.status == VacancyStatus.APPLIED
        and not application.events.filter(kind="confirmed").exists()
    )
    # a member of an organisation, even the applicant, does not confirm
    with workspace_context(iw.office), pytest.raises(Forbidden):
        vacancy_confirm(
            actor=actor_of(iw.office, iw.office_worker),
            application=application.pk,
            institution=iw.rescue.pk,
            months_approved=6,
        )
    with pytest.raises(NotFound):  # a platform user without the role sees nothing
        vacancy_confirm(
            actor=Actor(user=world.outsider),
            application=application.pk,
            institution=iw.rescue.pk,
            months_approved=6,
        )


def test_an_institution_of_another_type_needs_hq_to_say_so(world, institutions_world):
    """Organisations carry their type code once the organisations' branch is in; until then
    an institution's type is unknown and never refused."""
    iw = institutions_world
    application = apply(iw, institution_type="TNRB")
    if any(f.name == "type_code" for f in Organisation._meta.get_fields()):
        Organisation.objects.filter(pk=iw.rescue.pk).update(type_code="TNRR")
        with pytest.raises(ValidationError) as refused:
            confirm(world, iw, application)
        assert "institution" in refused.value.message_dict
        assert "not of the type" in str(refused.value)
    confirmed = vacancy_confirm(
        actor=Actor(user=world.hq_admin),
        application=application.pk,
        institution=iw.rescue.pk,
        months_approved=3,
        any_type=True,
    )
    assert confirmed.status == VacancyStatus.CONFIRMED


def test_decline_needs_a_reason_and_the_office_is_told(
    world, institutions_world, django_capture_on_commit_callbacks
):
    iw = institutions_world
    application = apply(iw)
    hq = Actor(user=world.hq_admin)
    with pytest.raises(ValidationError):
        vacancy_decline(actor=hq, application=application.pk, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        declined = vacancy_decline(actor=hq, application=application.pk, reason="Court to decide")
    assert declined.status == VacancyStatus.DECLINED
    assert declined.decline_reason == "Court to decide"
    assert iw.office_worker.email in mail.outbox[-1].to
    with pytest.raises(ValidationError):  # decided once
        confirm(world, iw, declined)


def test_withdraw_by_the_office_only_and_the_institution_loses_sight(
    world, institutions_world, django_capture_on_commit_callbacks
):
    iw = institutions_world
    application = confirm(world, iw, apply(iw))
    with workspace_context(iw.rescue), pytest.raises(Forbidden):
        vacancy_withdraw(
            actor=actor_of(iw.rescue, iw.rescue_worker), application=application.pk, reason="No"
        )
    with workspace_context(world.acme), pytest.raises(NotFound):
        vacancy_withdraw(
            actor=actor_of(world.acme, world.acme_worker), application=application.pk, reason="x"
        )
    with workspace_context(iw.office), django_capture_on_commit_callbacks(execute=True):
        withdrawn = vacancy_withdraw(
            actor=actor_of(iw.office, iw.office_worker),
            application=application.pk,
            reason="The court released the child to the mother",
        )
    assert withdrawn.status == VacancyStatus.WITHDRAWN
    assert iw.rescue_worker.email in mail.outbox[-1].to
    with workspace_context(iw.rescue), pytest.raises(NotFound):
        vacancy_admit(
            actor=actor_of(iw.rescue, iw.rescue_worker),
            application=application.pk,
            admitted_on=TODAY(),
            admission_reason="RACP",
            category="CDIS",
        )


def test_a_failed_admission_leaves_the_vacancy_confirmed(world, institutions_world):
    iw = institutions_world
    child = make_child("Juma", "Elsewhere")
    application = confirm(world, iw, apply(iw, child=child))
    from tests.institutions.conftest import make_admission

    make_admission(world.acme, world.acme_worker, child=child)  # resident at acme already
    with workspace_context(iw.rescue):
        with pytest.raises(ValidationError) as refused:
            vacancy_admit(
                actor=actor_of(iw.rescue, iw.rescue_worker),
                application=application.pk,
                admitted_on=TODAY(),
                admission_reason="RAOF",
                category="CDIS",
            )
        assert not Admission.objects.filter(vacancy_id=application.pk).exists()
    assert "Acme Children's Home" in str(refused.value)
    application.refresh_from_db()
    assert application.status == VacancyStatus.CONFIRMED


def test_only_the_institution_confirmed_to_admits(world, institutions_world):
    iw = institutions_world
    application = confirm(world, iw, apply(iw))
    with workspace_context(world.acme), pytest.raises(NotFound):
        vacancy_admit(
            actor=actor_of(world.acme, world.acme_worker),
            application=application.pk,
            admitted_on=TODAY(),
            admission_reason="RACP",
            category="CDIS",
        )
    with workspace_context(iw.rescue), pytest.raises(ValidationError) as refused:
        vacancy_admit(
            actor=actor_of(iw.rescue, iw.rescue_worker),
            application=application.pk,
            admitted_on=TODAY() - timedelta(days=3),  # before HQ confirmed
            admission_reason="RACP",
            category="CDIS",
        )
    assert "admitted_on" in refused.value.message_dict
    application.refresh_from_db()
    assert application.status == VacancyStatus.CONFIRMED and application.admission_id is None


def test_the_demo_applies_twice_confirms_one_and_runs_once(world, institutions_world):
    from case_apps.institutions.demo_vacancies import vacancy_load_demo

    iw = institutions_world
    arguments = {
        "office": iw.office,
        "office_worker": iw.office_worker,
        "institution": iw.rescue,
        "approver": world.hq_admin,
    }
    with workspace_context(iw.office):
        assert vacancy_load_demo(**arguments) == 2
        assert vacancy_load_demo(**arguments) == 0
    statuses = sorted(
        VacancyApplication.objects.filter(applicant=iw.office).values_list("status", flat=True)
    )
    assert statuses == [VacancyStatus.APPLIED, VacancyStatus.CONFIRMED]
