"""Finding or registering the child of a new case record sheet."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"})
SEX_CHOICES = [("", "—"), ("SFEM", _("Female")), ("SMAL", _("Male")), ("SINT", _("Intersex"))]


class ChildSearchForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    other_names = forms.CharField(label=_("Other names"), max_length=100, required=False)
    surname = forms.CharField(label=_("Surname"), max_length=100)
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    birth_year = forms.IntegerField(
        label=_("or year of birth (estimated)"), required=False, min_value=1990, max_value=2100
    )
    identifier = forms.CharField(
        label=_("Birth certificate or other number"), max_length=64, required=False
    )

    def clean(self):
        data = super().clean()
        dob, year = data.get("date_of_birth"), data.get("birth_year")
        if dob and dob > timezone.localdate():
            self.add_error("date_of_birth", _("The date of birth cannot be in the future."))
        if year and year > timezone.localdate().year:
            self.add_error("birth_year", _("The year of birth cannot be in the future."))
        return data


def person_from_search(request, form: ChildSearchForm):
    """The find-or-register step shared by every screen that names a child or caregiver.

    Returns ``(person, candidates)``: the newly registered person when the clerk chose
    "register a new one" (``action=register``), otherwise the registry's ranked candidates.
    A refused registration puts its errors on the form and returns ``(None, None)``.
    """
    from django.core.exceptions import ValidationError

    from shared_registry.selectors import person_match_candidates
    from shared_registry.services import person_register

    data = form.cleaned_data
    identifiers = [("ISOV", data["identifier"])] if data["identifier"] else []
    names = {
        "first_name": data["first_name"],
        "other_names": data["other_names"],
        "surname": data["surname"],
        "sex": data["sex"],
        "date_of_birth": data["date_of_birth"],
        "birth_year": data["birth_year"],
        "identifiers": identifiers,
    }
    if request.POST.get("action") == "register":
        try:
            return person_register(
                **names, created_by=request.user, organisation=request.organisation
            ), None
        except ValidationError as error:
            for field_name, errors in getattr(
                error, "message_dict", {"__all__": error.messages}
            ).items():
                for message in errors:
                    form.add_error(field_name if field_name in form.fields else None, message)
            return None, None
    return None, person_match_candidates(**names)
