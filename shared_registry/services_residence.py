"""Beginning and ending a child's residence in an institution (issue 19): the national rule
that a child is resident in at most one institution at a time is the database's."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext

from shared_registry.models import Person
from shared_registry.models_residence import ONE_RESIDENCE, Residence
from tenants.models import Organisation


def residence_current(person_id: int) -> Residence | None:
    """The residence the person has now (with its institution), if any."""
    return (
        Residence.objects.select_related("organisation")
        .filter(person_id=person_id, ended_on__isnull=True)
        .first()
    )


def _already_resident(person_id: int, field: str) -> ValidationError:
    current = residence_current(person_id)
    where = current.organisation.name if current else gettext("another institution")
    since = date_format(current.admitted_on) if current else ""
    return ValidationError(
        {
            field: [
                gettext(
                    "This child is already resident in %(institution)s (admitted %(since)s): "
                    "that admission must end first."
                )
                % {"institution": where, "since": since}
            ]
        }
    )


def residence_begin(
    *,
    person: Person | int,
    organisation: Organisation,
    admission_id: int,
    admitted_on: date,
    field: str = "child",
) -> Residence:
    """The child becomes resident; refused (naming the institution) when resident elsewhere.
    Call inside the admission's transaction: a refusal rolls the admission back too."""
    person_id = person if isinstance(person, int) else person.pk
    if residence_current(person_id) is not None:
        raise _already_resident(person_id, field)
    try:
        with transaction.atomic():  # a savepoint: the race's loser gets the message
            return Residence.objects.create(
                person_id=person_id,
                organisation=organisation,
                admission_id=admission_id,
                admitted_on=admitted_on,
            )
    except IntegrityError as error:
        if ONE_RESIDENCE not in str(error):
            raise
        raise _already_resident(person_id, field) from error


def residence_end(*, organisation: Organisation, admission_id: int, ended_on: date) -> int:
    """The residence of this admission ends (discharge, escape, death); returns rows ended."""
    return Residence.objects.filter(
        organisation=organisation, admission_id=admission_id, ended_on__isnull=True
    ).update(ended_on=ended_on)


def residence_restore(*, organisation: Organisation, admission_id: int) -> int:
    """An ended residence runs again (its discharge was undone as a mistake)."""
    ended = Residence.objects.filter(organisation=organisation, admission_id=admission_id)
    return ended.update(ended_on=None)
