"""KMHFL, NEMIS and directory imports: upsert by code, every bad row reported with its
line number and reason, nothing changed on errors unless asked."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from shared_registry.importers import directory_import, facilities_import, schools_import
from shared_registry.models import DirectoryEntry, Facility, School
from shared_registry.services import directory_entry_link_organisation
from tests.conftest import client_on

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "shared_registry" / "fixtures"


def _text(name):
    return (FIXTURES / name).read_text()


def test_sample_files_import_and_reimport_changes_nothing(national_geography):
    for importer, name, model in [
        (facilities_import, "kmhfl_facilities_sample.csv", Facility),
        (schools_import, "nemis_schools_sample.csv", School),
        (directory_import, "directory_sample.csv", DirectoryEntry),
    ]:
        first = importer(text=_text(name))
        assert first.errors == [] and first.applied and first.created == 5, name
        again = importer(text=_text(name))
        assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
        assert model.objects.count() == 5
    jootrh = Facility.objects.get(code="13939")
    assert (jootrh.keph_level, jootrh.county.code, jootrh.sub_county.code) == (
        "Level 5",
        "042",
        "240",
    )
    assert jootrh.ward.name == "Railways" and jootrh.latitude == pytest.approx(-0.0917)
    assert School.objects.get(code="NRB0002").is_public is False
    remand = DirectoryEntry.objects.get(code="GAZ/RH/07")
    assert (remand.kind, remand.capacity, remand.max_age, remand.sexes_admitted) == (
        "TNRH",
        60,
        17,
        "both",
    )


def test_a_file_with_bad_rows_changes_nothing_and_names_each_line(national_geography):
    header, *rows = _text("kmhfl_facilities_sample.csv").splitlines()
    bad = [
        rows[0].replace("Level 5", "Level 9"),
        rows[1].replace(",Kisumu,Kisumu Central,", ",Atlantis,Kisumu Central,"),
        rows[2].replace("-1.3010", "north"),
        "ABC" + rows[3][5:],
        rows[4],
        rows[4].replace("Nakuru Level 5", "Nakuru again"),
    ]
    report = facilities_import(text="\n".join([header, *bad]))
    assert not report.applied and Facility.objects.count() == 0
    reasons = {e.line: e.reason for e in report.errors}
    assert set(reasons) == {2, 3, 4, 5, 7}
    assert "KEPH level" in reasons[2] and "unknown county" in reasons[3]
    assert "latitude" in reasons[4] and "MFL code" in reasons[5] and "twice" in reasons[7]
    partial = facilities_import(text="\n".join([header, *bad]), import_valid_rows=True)
    assert partial.applied and partial.created == 1 and Facility.objects.count() == 1


def test_missing_columns_and_bad_school_and_directory_rows(national_geography):
    assert "missing columns" in schools_import(text="Name,County\nX,Kisumu\n").errors[0].reason
    school = "Institution Code,Institution Name,Level,Category,County\nK9,X,Primary,Public,Kisumu\n"
    assert "NEMIS code" in schools_import(text=school).errors[0].reason
    school = school.replace("K9,", "KSM0009,").replace("Primary", "University")
    assert "level" in schools_import(text=school).errors[0].reason
    directory = "\n".join(
        [
            "Code,Name,Kind,County,Min Age,Max Age,Email",
            "X1,Home,Spaceport,Kisumu,,,",
            "X2,Home,TNRC,Kisumu,12,3,",
            "X3,Home,TNRC,Kisumu,,,nope",
        ]
    )
    reasons = [e.reason for e in directory_import(text=directory).errors]
    assert "kind" in reasons[0] and "min age" in reasons[1] and "email" in reasons[2]
    assert DirectoryEntry.objects.count() == 0


def test_import_command_reports_lines_and_refuses(national_geography, tmp_path, capsys):
    path = tmp_path / "schools.csv"
    path.write_text(_text("nemis_schools_sample.csv") + "KSM0009,X,Primary,Secret,Kisumu,,,,\n")
    with pytest.raises(CommandError):
        call_command("import_registry_csv", "schools", str(path))
    assert f"{path}:7: category" in capsys.readouterr().err
    assert School.objects.count() == 0
    call_command("import_registry_csv", "schools", str(path), "--import-valid-rows")
    assert School.objects.count() == 5


def test_an_onboarded_organisation_links_to_its_directory_entry(national_geography, world):
    directory_import(text=_text("directory_sample.csv"))
    entry = DirectoryEntry.objects.get(code="CCI/KSM/0117")
    directory_entry_link_organisation(entry=entry, organisation=world.acme)
    assert world.acme.directory_entry == entry


def test_directory_screen_imports_and_is_for_registry_managers(national_geography, world):
    client = client_on(None, world.hq_admin)
    with open(FIXTURES / "directory_sample.csv", "rb") as fh:
        response = client.post("/registry/directory/", {"kind": "directory", "file": fh})
    assert response.status_code == 200 and "5 created" in response.content.decode()
    listing = client.get("/registry/directory/?q=remand").content.decode()
    assert "Kisumu Children&#x27;s Remand Home" in listing and "Tumaini" not in listing
    for user in (world.acme_admin, world.beta_worker, world.outsider):
        with open(FIXTURES / "directory_sample.csv", "rb") as fh:
            refused = client_on(None, user).post(
                "/registry/directory/", {"kind": "directory", "file": fh}
            )
        assert refused.status_code == 403
        assert client_on(world.acme, user).get("/registry/directory/").status_code in (
            403,
            404,
            302,
        )


def test_demo_registry_is_idempotent_and_fills_the_duplicates_queue(national_geography, world):
    from shared_registry.demo import registry_load_demo
    from shared_registry.models import Person, PotentialDuplicate

    persons, duplicates = Person.objects.count(), PotentialDuplicate.objects.count()
    registry_load_demo(organisation=world.acme)
    registry_load_demo(organisation=world.acme)
    assert Person.objects.count() == persons + 5 and DirectoryEntry.objects.count() == 5
    assert PotentialDuplicate.objects.count() == duplicates + 1


def test_directory_api_for_members_and_managers_only(national_geography, world):
    directory_import(text=_text("directory_sample.csv"))
    member = client_on(world.acme, world.acme_worker).get("/api/v1/registry/directory?kind=TNRH")
    assert [e["code"] for e in member.json()] == ["GAZ/RH/07"]
    manager = client_on(None, world.hq_admin).get("/api/v1/registry/directory?q=Kabete")
    assert manager.json()[0]["kind_label"] == "Rehabilitation school"
    for user in (world.beta_worker, world.outsider, None):
        response = client_on(world.acme, user).get("/api/v1/registry/directory")
        assert response.status_code in (401, 403)
    for user in (world.acme_worker, world.outsider):
        assert client_on(None, user).get("/api/v1/registry/directory").status_code == 403
