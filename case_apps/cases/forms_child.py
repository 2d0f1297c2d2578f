"""Finding or registering the child of a new case record sheet."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared_registry.places import PlacePickerMixin, place_field

DATE = forms.DateInput(attrs={"type": "date"})
SEX_CHOICES = [("", "—"), ("SFEM", _("Female")), ("SMAL", _("Male")), ("SINT", _("Intersex"))]


class ChildSearchForm(PlacePickerMixin, forms.Form):
    """The child's names and birth to search the registry; where the child lives (county,
    sub-county and ward from the geography, the village typed) goes with a registration."""

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
    county_code = place_field(_("County of residence"))
    sub_county_code = place_field(_("Sub-county of residence"))
    ward_code = place_field(_("Ward of residence"))
    village = forms.CharField(
        label=_("Village / estate of residence"), max_length=100, required=False
    )

    def clean(self):
        data = super().clean()
        dob, year = data.get("date_of_birth"), data.get("birth_year")
        if dob and dob > timezone.localdate():
            self.add_error("date_of_birth", _("The date of birth cannot be in the future."))
        if year and year > timezone.localdate().year:
            self.add_error("birth_year", _("The year of birth cannot be in the future."))
        return data


class TooManyLookups(Exception):
    """The member is over the registry's look-up limit (shared_registry/access.py)."""


def too_many_lookups(request):
    """The registry's own "too many look-ups" page (429)."""
    from django.shortcuts import render

    return render(request, "shared_registry/too_many_lookups.html", status=429)


def _candidates_read(request, names: dict) -> list[dict]:
    """The registry's candidates, read as the registry's own screens read them
    (shared_registry/access.py): counted against the member's look-up limit, logged in the
    access log (the names typed and the CPIMS IDs shown), each with the ``ref`` that opens
    that person's registry page for this member."""
    from shared_registry import access
    from shared_registry.selectors import person_match_candidates, person_summaries

    if not access.lookup_allowed(request):
        raise TooManyLookups
    found = person_match_candidates(**names)
    summaries = person_summaries(
        [c.person for c in found],
        exclude_organisation=getattr(request, "organisation", None),
        scores={c.person.pk: c for c in found},
    )
    access.log_search(
        request,
        query=" ".join(
            n for n in (names["first_name"], names["other_names"], names["surname"]) if n
        ),
        found=[s.cpims_id for s in summaries],
    )
    rows = access.summaries_with_refs(request, summaries)
    return [dict(row, person=c.person) for row, c in zip(rows, found, strict=True)]


def person_from_search(request, form: ChildSearchForm):
    """The find-or-register step shared by every screen that names a child or caregiver.

    Returns ``(person, candidates)``: the newly registered person when the clerk chose
    "register a new one" (``action=register``), otherwise the registry's ranked candidates
    (each a registry summary with its ``ref`` and ``person``). A refused registration puts its
    errors on the form and returns ``(None, None)``. Raises ``TooManyLookups`` when the member
    is over the registry's look-up limit.
    """
    from django.core.exceptions import ValidationError

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
        residence = {
            "county_code": data.get("county_code") or None,
            "sub_county_code": data.get("sub_county_code") or None,
            "ward_code": data.get("ward_code") or None,
        }
        try:
            return person_register(
                **names, **residence, created_by=request.user, organisation=request.organisation
            ), None
        except ValidationError as error:
            for field_name, errors in getattr(
                error, "message_dict", {"__all__": error.messages}
            ).items():
                for message in errors:
                    form.add_error(field_name if field_name in form.fields else None, message)
            return None, None
    return None, _candidates_read(request, names)
