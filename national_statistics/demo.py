"""Demo DHIS2 mapping, so DHIS2 and ADX exports work on a fresh demo install.

The uids are stand-ins made from each key (stable across loads); a real installation
replaces them with the national DHIS2 instance's identifiers on the mapping page.
"""

from __future__ import annotations

import hashlib
import string

from django.db import transaction

from national_statistics.definitions import (
    REPORTS,
    category_option_combo_keys,
    data_element_keys,
)
from national_statistics.models import Dhis2Mapping, Dhis2MappingKind
from shared_registry.models import County, SubCounty
from tenants.models import Organisation

ALPHABET = string.ascii_letters + string.digits


def demo_uid(kind: str, key: str) -> str:
    """A valid DHIS2 uid (a letter then 10 letters or digits) made from the key."""
    digest = hashlib.sha256(f"cpims-demo:{kind}:{key}".encode()).digest()
    letters = [ALPHABET[b % len(ALPHABET)] for b in digest[:11]]
    letters[0] = string.ascii_letters[digest[0] % len(string.ascii_letters)]
    return "".join(letters)


def dhis2_mapping_demo_keys(organisations: list[Organisation]) -> list[tuple[str, str]]:
    """Every (kind, key) a demo export may need: data sets, data elements, disaggregations,
    the nation, every county and sub-county, and the demo organisations."""
    keys = [(Dhis2MappingKind.DATA_SET, report) for report in REPORTS]
    elements = {row for report in REPORTS for row, _ in data_element_keys(report)}
    keys += [(Dhis2MappingKind.DATA_ELEMENT, row) for row in sorted(elements)]
    keys += [(Dhis2MappingKind.CATEGORY_OPTION_COMBO, c) for c in category_option_combo_keys()]
    keys += [(Dhis2MappingKind.ORG_UNIT, "national")]
    keys += [(Dhis2MappingKind.ORG_UNIT, c) for c in County.objects.values_list("code", flat=True)]
    keys += [
        (Dhis2MappingKind.ORG_UNIT, f"sub_county:{code}")
        for code in SubCounty.objects.values_list("code", flat=True)
    ]
    keys += [(Dhis2MappingKind.ORG_UNIT, f"organisation:{o.slug}") for o in organisations]
    return keys


@transaction.atomic
def dhis2_mapping_load_demo(*, organisations: list[Organisation]) -> int:
    """Add the demo mapping lines that are missing (a line already there is kept)."""
    existing = set(Dhis2Mapping.objects.values_list("kind", "key"))
    rows = [
        Dhis2Mapping(kind=kind, key=key, uid=demo_uid(kind, key))
        for kind, key in dict.fromkeys(dhis2_mapping_demo_keys(organisations))
        if (kind, key) not in existing
    ]
    Dhis2Mapping.objects.bulk_create(rows)
    return len(rows)
