"""The fields of an organisation's codes, registration, licence and parent, shared by the
sign-up form and the DCS console's organisation page (tenants/organisation_codes.py)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Organisation, OrganisationStatus
from tenants.organisation_codes import PARENT_KIND, RegistrationType, TypeCode, codes_check

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PARENT_KINDS = sorted(set(PARENT_KIND.values()))


def _date(label) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DATE)


class OrganisationCodesMixin(forms.Form):
    """Type code, registration type and date, licence and gazettement (CCIs). The form's
    ``clean`` checks them against the kind (``kind_of_form``) and names the field at fault."""

    type_code = forms.ChoiceField(
        label=_("Type code"),
        required=False,
        choices=[("", "—"), *[(c, f"{c} {TypeCode(c).label}") for c in TypeCode.values]],
        help_text=_(
            "The national org-unit type: DCS offices TNGP/TNGD, statutory institutions "
            "TNRB/TNRR/TNRS/TNRH/TNAP, CCIs TNRC, partners TNRI/TNRL/TNCB/TNCF/TNPR/TNSA."
        ),
    )
    registration_type = forms.ChoiceField(
        label=_("Registration type"),
        required=False,
        choices=[("", "—"), *RegistrationType.choices],
    )
    registered_on = _date(_("Registered on"))
    licence_number = forms.CharField(label=_("Licence number"), max_length=64, required=False)
    licence_expires_on = _date(_("Licence expires on"))
    gazettement_number = forms.CharField(
        label=_("Gazettement number"), max_length=64, required=False
    )
    gazetted_on = _date(_("Gazetted on"))
    gazettement_expires_on = _date(_("Gazettement expires on"))

    CODE_FIELDS = (
        "type_code",
        "registration_type",
        "registered_on",
        "licence_number",
        "licence_expires_on",
        "gazettement_number",
        "gazetted_on",
        "gazettement_expires_on",
    )
    LICENCE_FIELDS = CODE_FIELDS[3:]
    ERROR_FIELDS: dict[str, str] = {}  # a service's field -> the form's field showing it

    def kind_of_form(self, cleaned: dict) -> str:
        return cleaned.get("kind", "")

    def organisation_of_form(self) -> Organisation | None:
        return None

    def check_codes(self, cleaned: dict) -> None:
        kind = self.kind_of_form(cleaned)
        if not kind:
            return
        errors = codes_check(
            kind=kind,
            type_code=cleaned.get("type_code", ""),
            registration_type=cleaned.get("registration_type", ""),
            parent=cleaned.get("parent"),
            organisation=self.organisation_of_form(),
            licence_fields={name: cleaned.get(name) for name in self.LICENCE_FIELDS},
        )
        today = timezone.localdate()
        for name in ("registered_on", "gazetted_on"):
            if cleaned.get(name) and cleaned[name] > today:
                errors.setdefault(name, []).append(str(_("This date is in the future.")))
        for field, messages in errors.items():
            field = self.ERROR_FIELDS.get(field, field)
            if field in self.fields and field not in self.errors:
                self.add_error(field, messages)

    def codes(self) -> dict:
        """The cleaned codes, ready for ``organisation_create`` / ``organisation_codes_set``."""
        values = {name: self.cleaned_data.get(name) for name in self.CODE_FIELDS}
        for name in ("type_code", "registration_type", "licence_number", "gazettement_number"):
            values[name] = values[name] or ""
        if "parent" in self.cleaned_data:
            values["parent"] = self.cleaned_data["parent"]
        return values


def parent_candidates():
    """Organisations that may be a parent: DCS county offices and implementing partners."""
    return Organisation.objects.filter(kind__in=PARENT_KINDS).exclude(
        status__in=[OrganisationStatus.REJECTED, OrganisationStatus.ARCHIVED]
    )


class ConsoleOrganisationForm(OrganisationCodesMixin):
    """A national administrator edits an organisation's codes, licence and parent."""

    parent = forms.ModelChoiceField(
        label=_("Parent organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_(
            "A sub-county office's county office; a local implementing partner's "
            "implementing partner."
        ),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        initial = {name: getattr(organisation, name) for name in self.CODE_FIELDS}
        initial["parent"] = organisation.parent_id
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        wanted = PARENT_KIND.get(organisation.kind)
        self.has_parent = wanted is not None or organisation.parent_id is not None
        self.fields["parent"].queryset = (
            parent_candidates().filter(kind=wanted).exclude(pk=organisation.pk)
            if wanted
            else Organisation.objects.filter(pk=organisation.parent_id)
        )

    def kind_of_form(self, cleaned: dict) -> str:
        return self.organisation.kind

    def organisation_of_form(self) -> Organisation | None:
        return self.organisation

    def clean(self):
        cleaned = super().clean()
        self.check_codes(cleaned)
        return cleaned


class ApprovalSettingForm(forms.Form):
    """The organisation's setting: do web forms typed by staff wait for approval?"""

    required = forms.BooleanField(
        label=_("Forms typed in the web app wait for a supervisor's approval"), required=False
    )
