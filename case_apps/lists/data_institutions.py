"""The lists of institutions and alternative family care (issue 19), one module per subject,
assembled here and loaded with the national lists."""

from __future__ import annotations

from case_apps.lists import data_family_care, data_institution_admission, data_institution_life

INSTITUTION_LISTS: dict[str, list[tuple[str, str, str]]] = {
    **data_institution_admission.LISTS,
    **data_institution_life.LISTS,
    **data_family_care.LISTS,
}
INSTITUTION_LIST_TITLES: dict[str, object] = {
    **data_institution_admission.TITLES,
    **data_institution_life.TITLES,
    **data_family_care.TITLES,
}
