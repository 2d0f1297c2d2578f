"""Forms of the onboarding journey: organisation sign-up, decisions, invitations."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from provisioning.services import certificate_check
from shared_registry.places import COUNTY_LABEL, SUB_COUNTY_LABEL, PlacePickerMixin, place_field
from tenants.forms import OrganisationCodesMixin, parent_candidates
from tenants.limits import NOTES_MAX_LENGTH, PASSWORD_MAX_LENGTH
from tenants.models import Organisation, OrganisationKind, Role, validate_workspace_slug

PHONE = re.compile(r"^(?:\+254|0)[17]\d{8}$")


def clean_phone(value: str) -> str:
    value = re.sub(r"[\s-]", "", value or "")
    if value and not PHONE.match(value):
        raise ValidationError(
            _("Enter a Kenyan phone number such as 0712 345678 or +254712345678.")
        )
    return value


def slug_problem(slug: str) -> str | None:
    """Why a workspace address cannot be used, or None (format, reserved, taken)."""
    try:
        validate_workspace_slug(slug)
    except ValidationError as exc:
        return exc.messages[0]
    if Organisation.objects.filter(slug=slug).exists():
        return str(_("This workspace address is taken."))
    return None


class OrganisationSignupForm(PlacePickerMixin, OrganisationCodesMixin, forms.Form):
    """The application. Nothing typed is cut short (no ``maxlength``: a value too long is
    refused with its length); a certificate already uploaded is kept across a failed try.
    The type code, registration and (CCIs) licence come from ``OrganisationCodesMixin``; the
    parent is named by its workspace address."""

    place_fields = ("county_code", "sub_county_code", None)
    name = forms.CharField(label=_("Organisation name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind of organisation"), choices=[("", "—"), *OrganisationKind.choices]
    )
    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=64,
        help_text=_("NGO Coordination Board, CCI or other registration number."),
    )
    parent_slug = forms.CharField(
        label=_("Parent organisation's workspace address"),
        max_length=40,
        required=False,
        help_text=_(
            "A sub-county office names its county office; a local implementing partner its "
            "implementing partner. Others leave it blank."
        ),
    )
    county_code = place_field(COUNTY_LABEL, required=True)
    sub_county_code = place_field(SUB_COUNTY_LABEL)
    physical_address = forms.CharField(label=_("Physical address"), max_length=300)
    contact_person = forms.CharField(label=_("Contact person"), max_length=200)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32)
    slug = forms.CharField(
        label=_("Workspace address"),
        max_length=40,
        help_text=_("Lowercase letters, digits and hyphens: your workspace will be at <address>.…"),
    )
    certificate = forms.FileField(
        label=_("Registration certificate"), help_text=_("PDF, PNG or JPEG, up to 5 MB.")
    )
    # The first administrator (omitted when an already signed-in user applies).
    full_name = forms.CharField(label=_("Your full name"), max_length=200)
    email = forms.EmailField(label=_("Your email address"))
    password1 = forms.CharField(
        max_length=PASSWORD_MAX_LENGTH, label=_("Password"), widget=forms.PasswordInput
    )
    password2 = forms.CharField(
        max_length=PASSWORD_MAX_LENGTH, label=_("Password (again)"), widget=forms.PasswordInput
    )

    ADMIN_FIELDS = ("full_name", "email", "password1", "password2")
    ERROR_FIELDS = {"parent": "parent_slug"}

    def __init__(
        self, *args, signed_in: bool = False, kept_certificate: str = "", **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        self.kept_certificate = kept_certificate
        if signed_in:
            for name in self.ADMIN_FIELDS:
                del self.fields[name]
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)  # the browser would cut silently
        if kept_certificate:
            self.show_kept_certificate(kept_certificate)
        self.fields["slug"].widget.attrs.update(
            {
                "hx-get": "check-slug/",
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#slug-check",
                "autocomplete": "off",
            }
        )

    def show_kept_certificate(self, name: str) -> None:
        """A certificate is kept from the last try: say which, and do not ask for it again."""
        self.kept_certificate = name
        certificate = self.fields["certificate"]
        certificate.required = False
        certificate.help_text = _(
            "Kept: %(name)s. Choose another file only to replace it (PDF, PNG or JPEG, up to 5 MB)."
        ) % {"name": name}
        self["certificate"].help_text = certificate.help_text  # the bound field copied it

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip()
        problem = slug_problem(slug)
        if problem:
            raise ValidationError(problem)
        return slug

    def clean_parent_slug(self) -> str:
        slug = self.cleaned_data["parent_slug"].strip().lower()
        if slug:
            parent = parent_candidates().filter(slug=slug).first()
            if parent is None:
                raise ValidationError(
                    _("No county office or implementing partner has this workspace address.")
                )
            self.cleaned_data["parent"] = parent
        return slug

    def clean_contact_phone(self) -> str:
        return clean_phone(self.cleaned_data["contact_phone"])

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_certificate(self):
        file = self.cleaned_data["certificate"]
        if file:
            certificate_check(file)
        return file

    def clean(self):
        cleaned = super().clean()
        self.check_codes(cleaned)
        if not self.signed_in:
            p1, p2 = cleaned.get("password1"), cleaned.get("password2")
            if p1 and p2 and p1 != p2:
                self.add_error("password2", _("The two passwords differ."))
            elif p1:
                try:
                    password_validation.validate_password(p1)
                except ValidationError as exc:
                    self.add_error("password1", exc)
        return cleaned


class RejectForm(forms.Form):
    reason = forms.CharField(
        max_length=NOTES_MAX_LENGTH,
        label=_("Reason (sent to the applicant)"),
        widget=forms.Textarea,
    )


# From the least to the most privileged: an invitation starts at the least.
ROLES_BY_PRIVILEGE = [
    Role.VIEWER,
    Role.DATA_CLERK,
    Role.CASE_WORKER,
    Role.SUPERVISOR,
    Role.ORGANISATION_ADMIN,
]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(role.value, role.label) for role in ROLES_BY_PRIVILEGE],
        initial=Role.VIEWER,
        help_text=_("Start with the least the colleague needs; you can add roles later."),
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )


class AcceptInvitationForm(forms.Form):
    """New account: name and password twice. Existing account: its password."""

    full_name = forms.CharField(label=_("Your full name"), max_length=200, required=False)
    password1 = forms.CharField(
        max_length=PASSWORD_MAX_LENGTH, label=_("Password"), widget=forms.PasswordInput
    )
    password2 = forms.CharField(
        max_length=PASSWORD_MAX_LENGTH,
        label=_("Password (again)"),
        widget=forms.PasswordInput,
        required=False,
    )

    def __init__(self, *args, existing_account: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_account = existing_account
        if existing_account:
            del self.fields["full_name"]
            del self.fields["password2"]
            self.fields["password1"].label = _("Your password")

    def clean(self):
        cleaned = super().clean()
        if not self.existing_account:
            p1, p2 = cleaned.get("password1"), cleaned.get("password2")
            if not cleaned.get("full_name"):
                self.add_error("full_name", _("This field is required."))
            if p1 and p1 != p2:
                self.add_error("password2", _("The two passwords differ."))
            elif p1:
                try:
                    password_validation.validate_password(p1)
                except ValidationError as exc:
                    self.add_error("password1", exc)
        return cleaned
