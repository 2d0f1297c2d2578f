"""The national codes an organisation carries: its legacy org-unit type code, its kind of
registration, and which type codes fit which kind of organisation (GLOSSARY "Org units").

One list, used by the sign-up form, the console, the API and the services: a type code that
does not fit the organisation's kind is refused naming the field; a kind with one code gets
it by default.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class K:
    """``tenants.models.OrganisationKind`` values (the models import this module)."""

    DCS_COUNTY_OFFICE = "dcs_county_office"
    DCS_SUB_COUNTY_OFFICE = "dcs_sub_county_office"
    STATUTORY_INSTITUTION = "statutory_institution"
    CCI = "cci"
    IMPLEMENTING_PARTNER = "ip"
    LOCAL_IMPLEMENTING_PARTNER = "lip"
    OTHER_NGO = "ngo"


# The days before a CCI's licence or gazettement expires when its admins and DCS are warned.
EXPIRY_WARNING_DAYS = 60


class TypeCode(models.TextChoices):
    """The legacy CPIMS org-unit type codes."""

    TNGP = "TNGP", gettext_lazy("DCS county office")
    TNGD = "TNGD", gettext_lazy("DCS sub-county office")
    TNRB = "TNRB", gettext_lazy("Borstal institution")
    TNRR = "TNRR", gettext_lazy("Rescue centre")
    TNRS = "TNRS", gettext_lazy("Rehabilitation school")
    TNRH = "TNRH", gettext_lazy("Remand home")
    TNAP = "TNAP", gettext_lazy("Assessment and placement centre")
    TNRC = "TNRC", gettext_lazy("Charitable children's institution")
    TNRI = "TNRI", gettext_lazy("International NGO")
    TNRL = "TNRL", gettext_lazy("Local NGO")
    TNCB = "TNCB", gettext_lazy("Community-based organisation")
    TNCF = "TNCF", gettext_lazy("Faith-based organisation")
    TNPR = "TNPR", gettext_lazy("Private organisation")
    TNSA = "TNSA", gettext_lazy("Adoption society")


class RegistrationType(models.TextChoices):
    INGO = "INGO", gettext_lazy("NGO number")
    ICCI = "ICCI", gettext_lazy("CCI number")
    ICOM = "ICOM", gettext_lazy("Company")
    ITRU = "ITRU", gettext_lazy("Trust")
    ICMT = "ICMT", gettext_lazy("Committee")


_PARTNER_CODES = (
    TypeCode.TNRI,
    TypeCode.TNRL,
    TypeCode.TNCB,
    TypeCode.TNCF,
    TypeCode.TNPR,
    TypeCode.TNSA,
)

# Which type codes fit which kind; the first is the default when it is the only one.
CODES_BY_KIND: dict[str, tuple[str, ...]] = {
    K.DCS_COUNTY_OFFICE: (TypeCode.TNGP,),
    K.DCS_SUB_COUNTY_OFFICE: (TypeCode.TNGD,),
    K.STATUTORY_INSTITUTION: (
        TypeCode.TNRB,
        TypeCode.TNRR,
        TypeCode.TNRS,
        TypeCode.TNRH,
        TypeCode.TNAP,
    ),
    K.CCI: (TypeCode.TNRC,),
    K.IMPLEMENTING_PARTNER: _PARTNER_CODES,
    K.LOCAL_IMPLEMENTING_PARTNER: _PARTNER_CODES,
    K.OTHER_NGO: _PARTNER_CODES,
}

# The kind a parent must be, by the kind of its child; kinds not listed have no parent.
PARENT_KIND: dict[str, str] = {
    K.DCS_SUB_COUNTY_OFFICE: K.DCS_COUNTY_OFFICE,
    K.LOCAL_IMPLEMENTING_PARTNER: K.IMPLEMENTING_PARTNER,
}


def _value(kind) -> str:
    """A kind's value (an enum member hashes by its name, so dictionaries need the value)."""
    return getattr(kind, "value", kind) or ""


def codes_for(kind: str) -> tuple[str, ...]:
    return CODES_BY_KIND.get(_value(kind), ())


def default_code(kind: str) -> str:
    """The type code a kind gets without asking (its only one), else blank."""
    codes = codes_for(kind)
    return str(codes[0]) if len(codes) == 1 else ""


def type_code_problem(kind: str, code: str) -> str | None:
    """Why ``code`` cannot be the type code of an organisation of ``kind``, or None."""
    if not code:
        return None
    if code not in TypeCode.values:
        return _("“%(code)s” is not an organisation type code.") % {"code": code}
    if code not in codes_for(kind):
        allowed = ", ".join(str(c) for c in codes_for(kind))
        return _("%(code)s does not fit this kind of organisation (use %(allowed)s).") % {
            "code": code,
            "allowed": allowed,
        }
    return None


def type_code_choices(kind: str | None = None) -> list[tuple[str, str]]:
    """(code, "CODE label") for a kind, or every code."""
    codes = codes_for(kind) if kind else TypeCode.values
    return [(str(c), f"{c} {TypeCode(c).label}") for c in codes]


def codes_check(
    *,
    kind: str,
    type_code: str,
    registration_type: str = "",
    parent=None,
    organisation=None,
    licence_fields: dict | None = None,
) -> dict[str, list[str]]:
    """Every problem with an organisation's codes, registration and parent, by field."""
    errors: dict[str, list[str]] = {}
    problem = type_code_problem(kind, type_code)
    if problem:
        errors["type_code"] = [problem]
    if registration_type and registration_type not in RegistrationType.values:
        errors["registration_type"] = [
            _("“%(code)s” is not a registration type.") % {"code": registration_type}
        ]
    if licence_fields and _value(kind) != K.CCI and any(licence_fields.values()):
        field = next(name for name, value in licence_fields.items() if value)
        errors[field] = [_("Only a charitable children's institution holds a licence.")]
    problem = parent_problem(kind, parent, organisation)
    if problem:
        errors["parent"] = [problem]
    return errors


def parent_problem(kind: str, parent, organisation=None) -> str | None:
    """Why ``parent`` cannot be the parent of an organisation of ``kind`` (None: it can)."""
    if parent is None:
        return None
    wanted = PARENT_KIND.get(_value(kind))
    if wanted is None:
        return _("This kind of organisation has no parent organisation.")
    if parent.kind != wanted:
        from tenants.models import OrganisationKind

        label = str(OrganisationKind(wanted).label).lower()
        return _("The parent must be a %(kind)s.") % {"kind": label}
    if organisation is not None and organisation.pk is not None:
        seen, current = set(), parent
        while current is not None and current.pk not in seen:
            if current.pk == organisation.pk:
                return _("An organisation cannot be its own parent, directly or not.")
            seen.add(current.pk)
            current = current.parent
    return None


def codes_validate(**arguments) -> None:
    """``codes_check`` raising ValidationError by field."""
    errors = codes_check(**arguments)
    if errors:
        raise ValidationError(errors)
