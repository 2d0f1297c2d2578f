"""Forms of the onboarding journey: organisation sign-up, decisions, invitations."""

from __future__ import annotations

import re

from django import forms
from django.apps import apps
from django.contrib.auth import password_validation
from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _

from provisioning.services import certificate_check
from tenants.limits import NOTES_MAX_LENGTH, PASSWORD_MAX_LENGTH
from tenants.models import Organisation, OrganisationKind, Role, validate_workspace_slug

PHONE = re.compile(r"^(?:\+254|0)[17]\d{8}$")
COUNTY_CODE = re.compile(r"^\d{3}$")
SUB_COUNTY_CODE = re.compile(r"^\d{3,4}$")


def clean_phone(value: str) -> str:
    value = re.sub(r"[\s-]", "", value or "")
    if value and not PHONE.match(value):
        raise ValidationError(
            _("Enter a Kenyan phone number such as 0712 345678 or +254712345678.")
        )
    return value


def _geography_has(model_name: str, code: str) -> bool | None:
    """Whether the shared registry's geography knows ``code`` (None when it has no such table,
    or an empty one, yet: then only the format is checked)."""
    try:
        model = apps.get_model("shared_registry", model_name)
        if model.objects.filter(code=code).exists():
            return True
        return False if model.objects.exists() else None
    except (LookupError, FieldError, DatabaseError):
        return None


def slug_problem(slug: str) -> str | None:
    """Why a workspace address cannot be used, or None (format, reserved, taken)."""
    try:
        validate_workspace_slug(slug)
    except ValidationError as exc:
        return exc.messages[0]
    if Organisation.objects.filter(slug=slug).exists():
        return str(_("This workspace address is taken."))
    return None


class OrganisationSignupForm(forms.Form):
    name = forms.CharField(label=_("Organisation name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=OrganisationKind.choices)
    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=64,
        help_text=_("NGO Coordination Board, CCI or other registration number."),
    )
    county_code = forms.CharField(label=_("County code"), max_length=3, help_text=_("e.g. 042"))
    sub_county_code = forms.CharField(label=_("Sub-county code"), max_length=4, required=False)
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

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        if signed_in:
            for name in self.ADMIN_FIELDS:
                del self.fields[name]
        self.fields["slug"].widget.attrs.update(
            {
                "hx-get": "check-slug/",
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#slug-check",
                "autocomplete": "off",
            }
        )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip()
        problem = slug_problem(slug)
        if problem:
            raise ValidationError(problem)
        return slug

    def clean_county_code(self) -> str:
        code = self.cleaned_data["county_code"].strip()
        if not COUNTY_CODE.match(code) or not 1 <= int(code) <= 47:
            raise ValidationError(_("Enter the three-digit county code, 001 to 047."))
        if _geography_has("County", code) is False:
            raise ValidationError(_("No county has this code."))
        return code

    def clean_sub_county_code(self) -> str:
        code = self.cleaned_data["sub_county_code"].strip()
        if code and not SUB_COUNTY_CODE.match(code):
            raise ValidationError(_("Enter the three- or four-digit sub-county code."))
        if code and _geography_has("SubCounty", code) is False:
            raise ValidationError(_("No sub-county has this code."))
        return code

    def clean_contact_phone(self) -> str:
        return clean_phone(self.cleaned_data["contact_phone"])

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_certificate(self):
        file = self.cleaned_data["certificate"]
        certificate_check(file)
        return file

    def clean(self):
        cleaned = super().clean()
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


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

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
