"""Issue 19: the institution population report goes to DHIS2 like the other reports. Its
rows are by month (``admitted:2026-01``); the data elements are mapped from the part before
the month (admitted, discharged, residents), the category option combos from sex|age band,
so a month's dataValueSets and ADX carry the admissions, discharges and residents; a longer
period is refused with the reason (each month's rows are the same data elements)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from case_apps.institutions import facts
from case_apps.institutions.models import Admission, ResidentialStatus
from national_statistics.definitions import category_option_combo_keys, data_element_keys
from national_statistics.demo import dhis2_mapping_demo_keys
from national_statistics.drain import drain_organisation
from national_statistics.exports import ONE_MONTH_AT_A_TIME
from national_statistics.models import Dhis2Mapping, ExportJob
from national_statistics.services import export_job_create, export_job_run
from tenants.actor import member_actor
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child
from tests.conftest import client_on
from tests.institutions.conftest import make_admission
from tests.national_statistics.test_dhis2 import adx_values, assert_valid_data_value_set

pytestmark = pytest.mark.django_db
UIDS = {
    ("data_set", "institution_population"): "DsInstPop01",
    ("org_unit", "organisation:acme"): "OuAcme00001",
    ("data_element", "admitted"): "DeAdmitted1",
    ("data_element", "discharged"): "DeDischarg1",
    ("data_element", "residents"): "DeResident1",
    ("category_option_combo", "SFEM|11-15"): "CocF1115xx1",
    ("category_option_combo", "SMAL|6-10"): "CocM0610xx1",
}


def _admit(world, admitted_on: date, *, sex: str, born: date, left_on: date | None = None):
    admission = make_admission(
        world.acme,
        world.acme_admin,
        make_child(sex=sex, date_of_birth=born),
        admitted_on=admitted_on,
    )
    with workspace_context(world.acme):
        if left_on:
            Admission.objects.filter(pk=admission.pk).update(
                discharged_on=left_on, residential_status=ResidentialStatus.DISCHARGED
            )
        admission = Admission.objects.select_related("case__child").get(pk=admission.pk)
        facts.admission_facts(admission, world.acme)


@pytest.fixture
def population(world):
    """acme: seven girls of 11-15 admitted in January 2026 (five stay), six boys of 6-10 in
    December 2025 (all stay), five boys of 0-5 in January (unmapped: no combo for 0-5)."""
    for n in range(7):
        left = date(2026, 1, 28) if n < 2 else None
        _admit(world, date(2026, 1, 5 + n), sex="SFEM", born=date(2013, 2, 1), left_on=left)
    for n in range(6):
        _admit(world, date(2025, 12, 1 + n), sex="SMAL", born=date(2017, 6, 1))
    for n in range(5):
        _admit(world, date(2026, 1, 9 + n), sex="SMAL", born=date(2023, 6, 1))
    drain_organisation(world.acme)
    Dhis2Mapping.objects.bulk_create(
        Dhis2Mapping(kind=kind, key=key, uid=uid) for (kind, key), uid in UIDS.items()
    )


def _export(client, export_format: str, month_from: str, month_to: str) -> ExportJob:
    response = client.post(
        "/statistics/exports/",
        {
            "report": "institution_population",
            "export_format": export_format,
            "from": month_from,
            "to": month_to,
        },
    )
    assert response.status_code == 302, response
    return ExportJob.objects.latest("id")


def _download(client, job: ExportJob) -> bytes:
    return b"".join(client.get(f"/statistics/exports/{job.pk}/download/").streaming_content)


def test_the_keys_are_listed_for_the_mapping():
    assert [key for key, _ in data_element_keys("institution_population")] == [
        "admitted",
        "discharged",
        "residents",
    ]
    combos = category_option_combo_keys()
    assert "SFEM|11-15" in combos and "SMAL|18+" in combos
    demo_keys = set(dhis2_mapping_demo_keys([]))
    assert ("data_element", "residents") in demo_keys
    assert ("data_set", "institution_population") in demo_keys


def test_a_months_population_goes_to_dhis2_as_data_values(world, population):
    client = client_on(world.acme, world.acme_admin)
    job = _export(client, "json", "2026-01", "2026-01")
    assert job.status == "done", job.error
    document = json.loads(_download(client, job))
    assert_valid_data_value_set(document)
    assert document["dataSet"] == "DsInstPop01" and document["orgUnit"] == "OuAcme00001"
    assert document["period"] == "202601"
    values = {
        (v["dataElement"], v["categoryOptionCombo"]): v["value"] for v in document["dataValues"]
    }
    assert values == {
        ("DeAdmitted1", "CocF1115xx1"): "7",  # admitted in January
        ("DeResident1", "CocF1115xx1"): "5",  # at January's end: seven less two
        ("DeResident1", "CocM0610xx1"): "6",  # admitted in December, still there
    }  # the two discharges are a small count: suppressed; the boys of 0-5 are unmapped
    assert job.note.startswith("3 values;") and "2 unmapped" in job.note
    adx = _export(client, "adx", "2026-01", "2026-01")
    assert adx.status == "done", adx.error
    group, adx_by_cell = adx_values(_download(client, adx))
    assert group["period"] == "2026-01-01/P1M" and adx_by_cell == values


def test_a_longer_period_is_refused_with_the_reason_and_nothing_made(world, population):
    client = client_on(world.acme, world.acme_admin)
    jobs = ExportJob.objects.count()
    for export_format in ("json", "adx"):
        response = client.post(
            "/statistics/exports/",
            {
                "report": "institution_population",
                "export_format": export_format,
                "from": "2026-01",
                "to": "2026-03",
            },
            HTTP_REFERER="/statistics/reports/institution_population/",
            follow=True,
        )
        assert response.status_code == 200
        assert "DHIS2 takes this report one month at a time" in response.content.decode()
    assert ExportJob.objects.count() == jobs
    # the service says which field, and the same months go to CSV
    with pytest.raises(ValidationError) as refused:
        export_job_create(
            actor=member_actor(world.acme_admin, world.acme),
            export_format="json",
            month_from=date(2026, 1, 1),
            month_to=date(2026, 3, 1),
            report="institution_population",
        )
    assert refused.value.message_dict == {"export_format": [ONE_MONTH_AT_A_TIME]}
    with translation.override("sw"), pytest.raises(ValidationError) as refused:
        export_job_create(
            actor=member_actor(world.acme_admin, world.acme),
            export_format="adx",
            month_from=date(2026, 1, 1),
            month_to=date(2026, 3, 1),
            report="institution_population",
        )
    assert "mwezi mmoja" in refused.value.message_dict["export_format"][0]
    assert _export(client, "csv", "2026-01", "2026-03").status == "done"


def test_a_report_of_several_months_never_leaves_as_dhis2_values(world, population):
    """Were a job made some other way, building it fails with the reason, not a file."""
    job = ExportJob.objects.create(
        requested_by=world.acme_admin,
        organisation=world.acme,
        month_from=date(2026, 1, 1),
        month_to=date(2026, 3, 1),
        report="institution_population",
        export_format="json",
    )
    export_job_run(job=job)
    job.refresh_from_db()
    assert job.status == "failed" and job.error == ONE_MONTH_AT_A_TIME and not job.file
