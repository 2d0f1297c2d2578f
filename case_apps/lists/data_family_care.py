"""National lists of family care (issue 19): (code, English label, Kiswahili label), with
the codes of Kenya's CPIMS (GLOSSARY.md), assembled in data_institutions.py.

``FFOC`` is the DCS follow-up type "foster care follow-up"; the other follow-up codes name
the monitoring and review forms of the alternative family care module (6A monitoring, 7A and
8A reviews), whose own codes the GLOSSARY does not give [?]. The wellbeing scale is ours.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LISTS: dict[str, list[tuple[str, str, str]]] = {
    "family_care_follow_up": [
        ("FFOC", "Foster care follow-up", "Ufuatiliaji wa malezi ya kambo"),
        ("AF6A", "Monitoring visit (form 6A)", "Ziara ya ufuatiliaji (fomu 6A)"),
        ("AF7A", "Placement review (form 7A)", "Mapitio ya uwekaji (fomu 7A)"),
        ("AF8A", "Care review (form 8A)", "Mapitio ya malezi (fomu 8A)"),
    ],
    "family_care_wellbeing": [
        ("FWGO", "Doing well", "Anaendelea vizuri"),
        ("FWFA", "Fair: some concerns", "Wastani: kuna wasiwasi kiasi"),
        ("FWPO", "Poor: needs support", "Hali duni: anahitaji msaada"),
        ("FWRI", "At risk: act now", "Yuko hatarini: chukua hatua sasa"),
    ],
}
TITLES: dict[str, object] = {
    "family_care_follow_up": _("Family care follow-ups"),
    "family_care_wellbeing": _("Child's wellbeing in family care"),
}
