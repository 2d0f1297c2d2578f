"""The Team screen's forms: naming a supervisor for an officer, and filtering the team."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.models import Role


def _person(user) -> str:
    return user.full_name or user.email


class SupervisionForm(forms.Form):
    heading = _("Name a supervisor")

    officer = forms.TypedChoiceField(label=_("Officer"), coerce=int)
    supervisor = forms.TypedChoiceField(label=_("Supervised by"), coerce=int)

    def __init__(self, *args, officers=(), supervisors=(), **kwargs):
        super().__init__(*args, **kwargs)
        blank = [("", "—")]
        self.fields["officer"].choices = blank + [(u.pk, _person(u)) for u in officers]
        self.fields["supervisor"].choices = blank + [(u.pk, _person(u)) for u in supervisors]


class TeamFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("Any role")), *Role.choices]
    )
    unsupervised = forms.BooleanField(label=_("Without a supervisor only"), required=False)
