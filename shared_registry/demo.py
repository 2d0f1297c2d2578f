"""Demo registry content for the embedded mode: the sample directory and a few persons,
one of them registered twice so the potential duplicates queue has something. Idempotent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from shared_registry.identifiers import IdentifierType
from shared_registry.importers import directory_import
from shared_registry.models import DirectoryEntry, PersonIdentifier, Sex
from shared_registry.services import directory_entry_link_organisation, person_register
from tenants.models import Organisation

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEMO_PERSONS = [
    ("Akinyi", "", "Odhiambo", Sex.FEMALE, dt.date(2013, 5, 14), "042", "240", "1201", "1010101"),
    ("Brian", "Kiprotich", "Rotich", Sex.MALE, dt.date(2011, 9, 2), "042", "240", "", "1010102"),
    ("Amina", "", "Hassan", Sex.FEMALE, dt.date(2016, 1, 20), "047", "288", "", "1010103"),
    ("Mary", "Wanjiru", "Kamau", Sex.FEMALE, dt.date(2014, 3, 7), "047", "274", "", "1010104"),
    ("Mary", "", "Kamau", Sex.FEMALE, dt.date(2014, 7, 3), "047", "274", "", "1010105"),
]


def registry_load_demo(*, organisation: Organisation | None) -> None:
    directory_import(text=(FIXTURES / "directory_sample.csv").read_text(), import_valid_rows=True)
    if organisation is not None and organisation.registration_number:
        entry = DirectoryEntry.objects.filter(code=organisation.registration_number).first()
        if entry is not None and entry.organisation_id != organisation.pk:
            directory_entry_link_organisation(entry=entry, organisation=organisation)
    for first, other, surname, sex, dob, county, sub_county, ward, certificate in DEMO_PERSONS:
        if PersonIdentifier.objects.filter(
            identifier_type=IdentifierType.BIRTH_CERTIFICATE, value=certificate
        ).exists():
            continue
        person_register(
            first_name=first,
            other_names=other,
            surname=surname,
            sex=sex,
            date_of_birth=dob,
            county_code=county,
            sub_county_code=sub_county,
            ward_code=ward or None,
            identifiers=[(IdentifierType.BIRTH_CERTIFICATE, certificate)],
            organisation=organisation,
        )
