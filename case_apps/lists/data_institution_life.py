"""National lists of institution life (issue 19): (code, English label, Kiswahili label), with
the codes of Kenya's CPIMS (GLOSSARY.md), assembled in data_institutions.py."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LISTS: dict[str, list[tuple[str, str, str]]] = {
    # GLOSSARY, Placement/admission: the adverse events of a resident; an escape (AEES) or
    # a death (AEDE) ends the residence
    "adverse_event": [
        ("AEAB", "Abducted", "Ametekwa nyara"),
        ("AEDE", "Died", "Amefariki"),
        ("AEES", "Escaped", "Ametoroka"),
        ("AEPG", "Pregnant", "Ni mjamzito"),
        ("AEMC", "Medical emergency", "Dharura ya kiafya"),
        ("AECO", "Committed an offence", "Ametenda kosa"),
    ],
}
TITLES: dict[str, object] = {
    "adverse_event": _("Adverse events of residents"),
}
