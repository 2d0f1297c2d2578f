"""The printable summons (PDF, fpdf2) in English or Kiswahili.

It carries what the person summoned must know and nothing more about the child: the
organisation's name and address, the summons' reference, the person summoned, the case's
reference (never the narrative or the child's details), the date, time and place to appear,
and the officer's name with a signature line.
"""

from __future__ import annotations

from django.utils import formats, translation
from django.utils.translation import gettext
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from case_apps.cases.models_court import Summons
from tenants.models import Organisation

LANGUAGES = ("en", "sw")


def summons_reference(summons: Summons) -> str:
    """The summons' own reference: its case's reference and its number."""
    return f"{summons.case.national_reference}/SUM/{summons.pk}"


def _printable(text: str) -> str:
    """The PDF's core fonts hold Latin-1: anything else prints as "?" rather than failing."""
    return (text or "").replace("\u2019", "'").encode("latin-1", "replace").decode("latin-1")


def _day(value) -> str:
    return formats.date_format(value, "j F Y") if value else "—"


def summons_pdf(
    summons: Summons, organisation: Organisation, *, language: str = "en", compress: bool = True
) -> bytes:
    """The summons as a PDF in ``language`` (en or sw); ``compress=False`` leaves its text
    readable in the bytes (tests)."""
    language = language if language in LANGUAGES else "en"
    with translation.override(language):
        return _render(summons, organisation, compress)


def _render(summons: Summons, organisation: Organisation, compress: bool) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_compression(compress)
    pdf.set_title(_printable(gettext("Summons") + " " + summons_reference(summons)))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()

    def line(text: str, size: int = 11, style: str = "", height: float = 7) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(0, height, _printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    line(organisation.name, 14, "B")
    address = ", ".join(filter(None, [organisation.physical_address, organisation.contact_phone]))
    if address:
        line(address, 10)
    pdf.ln(6)
    line(gettext("SUMMONS"), 18, "B", 10)
    line(gettext("Reference: %(ref)s") % {"ref": summons_reference(summons)}, 10)
    line(gettext("Case reference: %(ref)s") % {"ref": summons.case.national_reference}, 10)
    line(gettext("Issued on: %(d)s") % {"d": _day(summons.issued_on)}, 10)
    pdf.ln(6)
    person = summons.person_name or "—"
    if summons.person_role:
        person = f"{person} ({summons.person_role})"
    line(gettext("To: %(person)s") % {"person": person}, 12, "B")
    pdf.ln(3)
    when = _day(summons.appear_on)
    if summons.appear_at:
        when = gettext("%(day)s at %(time)s") % {
            "day": when,
            "time": summons.appear_at.strftime("%H:%M"),
        }
    line(
        gettext(
            "You are required to appear before the children's officer on %(when)s at "
            "%(place)s about the matter of a child in case %(ref)s."
        )
        % {"when": when, "place": summons.place or "—", "ref": summons.case.national_reference}
    )
    pdf.ln(3)
    line(gettext("Date to appear: %(d)s") % {"d": when})
    line(gettext("Place: %(place)s") % {"place": summons.place or "—"})
    pdf.ln(3)
    line(
        gettext(
            "If you cannot come on this date, contact the office before the date to agree "
            "on another."
        ),
        10,
    )
    pdf.ln(14)
    officer = summons.officer.full_name or summons.officer.email
    line(gettext("Officer: %(name)s") % {"name": officer})
    pdf.ln(10)
    line(gettext("Signature: ______________________    Date: ______________"))
    line(gettext("Official stamp"), 9)
    return bytes(pdf.output())
