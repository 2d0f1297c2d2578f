"""National lists of institution admission (issue 19): (code, English label, Kiswahili label), with
the codes of Kenya's CPIMS (GLOSSARY.md), assembled in data_institutions.py.

The admission types and reasons (TANA..TRIN, RACP/RAOF) are in data.py. The GLOSSARY names the
discharge types but not their codes, which were not found in a public source: the ``DT..`` codes
below are provisional (the list's title says so) until the national codes are confirmed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LISTS: dict[str, list[tuple[str, str, str]]] = {
    "discharge_type": [
        ("DTEO", "Expiry of the committal order", "Kwisha kwa muda wa amri ya mahakama"),
        ("DTER", "Early release", "Kuachiliwa mapema"),
        ("DTLI", "Release on licence", "Kuachiliwa kwa leseni"),
        ("DTWS", "Release with supervision", "Kuachiliwa chini ya usimamizi"),
        ("DTNS", "Release without supervision", "Kuachiliwa bila usimamizi"),
        ("DTRI", "Reintegration with the family", "Kuunganishwa tena na familia"),
        ("DTCC", "Committal to a CCI", "Kupelekwa katika taasisi ya hisani ya watoto"),
        ("DTBO", "Committal to a borstal institution", "Kupelekwa katika taasisi ya borstal"),
        ("DTPH", "Committal to a probation hostel", "Kupelekwa katika hosteli ya uangalizi"),
        ("DTSI", "Transfer to a statutory institution", "Kuhamishiwa taasisi ya kisheria"),
        ("DTPR", "Transfer to prison", "Kuhamishiwa gerezani"),
        ("DTBD", "Released on bond", "Kuachiliwa kwa dhamana ya ahadi"),
        ("DTBL", "Released on bail", "Kuachiliwa kwa dhamana"),
        ("DTCS", "Community service order", "Amri ya huduma kwa jamii"),
        ("DTRC", "Released by the court", "Kuachiliwa na mahakama"),
        ("DTCE", "Exit from the CCI", "Kuondoka katika taasisi ya hisani ya watoto"),
        ("DTAF", "Placed in family-based care", "Kuwekwa katika malezi ya familia"),
    ],
}
TITLES: dict[str, object] = {
    "discharge_type": _("Discharge types (provisional codes)"),
}
