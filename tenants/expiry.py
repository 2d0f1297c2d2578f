"""CCI licences and gazettements that expire within 60 days or have expired: the console's
list, the CCI admins' "Waiting for you" line and the daily warning (one per threshold)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Organisation, OrganisationKind, OrganisationStatus
from tenants.organisation_codes import EXPIRY_WARNING_DAYS

DOCUMENTS = {
    "licence": ("licence_number", "licence_expires_on", _("Licence")),
    "gazettement": ("gazettement_number", "gazettement_expires_on", _("Gazettement")),
}
# Days before expiry at which a warning is sent (0: on the day it expires, and after).
THRESHOLDS = (EXPIRY_WARNING_DAYS, 30, 7, 0)
LIVE = (OrganisationStatus.ACTIVE, OrganisationStatus.SUSPENDED)


@dataclass(frozen=True)
class Expiry:
    organisation: Organisation
    document: str  # "licence" or "gazettement"
    number: str
    expires_on: date
    days_left: int  # negative: expired that many days ago

    @property
    def label(self):
        return DOCUMENTS[self.document][2]

    @property
    def expired(self) -> bool:
        return self.days_left < 0

    @property
    def days_ago(self) -> int:
        return max(0, -self.days_left)

    @property
    def threshold(self) -> int:
        """The smallest warning threshold reached (60, 30, 7 or 0)."""
        return min(t for t in THRESHOLDS if self.days_left <= t)

    @property
    def notice_key(self) -> str:
        return f"{self.document}:{self.threshold}:{self.expires_on.isoformat()}"


def expiries(
    *, today: date | None = None, organisation: Organisation | None = None, search: str = ""
) -> list[Expiry]:
    """CCI licences and gazettements expiring within 60 days or expired, soonest first
    (one query)."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    queryset = Organisation.objects.filter(kind=OrganisationKind.CCI, status__in=LIVE).filter(
        Q(licence_expires_on__lte=horizon) | Q(gazettement_expires_on__lte=horizon)
    )
    if organisation is not None:
        queryset = queryset.filter(pk=organisation.pk)
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search)
            | Q(licence_number__icontains=search)
            | Q(gazettement_number__icontains=search)
            | Q(registration_number__icontains=search)
        )
    found = []
    for org in queryset:
        for document, (number_field, date_field, _label) in DOCUMENTS.items():
            expires_on = getattr(org, date_field)
            if expires_on is not None and expires_on <= horizon:
                found.append(
                    Expiry(
                        organisation=org,
                        document=document,
                        number=getattr(org, number_field),
                        expires_on=expires_on,
                        days_left=(expires_on - today).days,
                    )
                )
    return sorted(found, key=lambda e: (e.expires_on, e.organisation.name, e.document))


def _hq_emails() -> list[str]:
    from tenants.models import PlatformRole, User

    return list(
        User.objects.filter(
            is_active=True, platform_roles__contains=[PlatformRole.NATIONAL_ADMINISTRATOR]
        ).values_list("email", flat=True)
    )


def _admin_emails(organisation: Organisation) -> list[str]:
    from tenants.models import Role
    from tenants.selectors import organisation_members

    members = organisation_members(organisation=organisation, roles={Role.ORGANISATION_ADMIN})
    return [user.email for user in members]


def _message(expiry: Expiry) -> tuple[str, str]:
    from django.utils.translation import gettext

    values = {
        "document": str(expiry.label),
        "number": expiry.number or "—",
        "org": expiry.organisation.name,
        "date": expiry.expires_on.isoformat(),
        "days": abs(expiry.days_left),
    }
    if expiry.expired:
        subject = gettext("%(org)s: %(document)s %(number)s expired on %(date)s") % values
    else:
        subject = gettext("%(org)s: %(document)s %(number)s expires on %(date)s") % values
    body = (
        gettext(
            "The expiry date of the %(document)s of %(org)s (%(number)s) is %(date)s. Renew "
            "it with the Department of Children Services and ask DCS to record the new "
            "expiry date."
        )
        % values
    )
    return subject, body


def expiry_warnings_send(*, today: date | None = None) -> int:
    """Warn each CCI's admins and DCS headquarters' national administrators of a licence or
    gazettement expiring within 60 days (again at 30, 7 and 0 days, and once expired): each
    threshold once, remembered on the organisation. The number of warnings sent."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.db import transaction

    from tenants.adapters import EMAIL_SUBJECT_PREFIX

    sent = 0
    hq = _hq_emails()
    for expiry in expiries(today=today):
        with transaction.atomic():
            organisation = Organisation.objects.select_for_update().get(pk=expiry.organisation.pk)
            if expiry.notice_key in organisation.expiry_notices:
                continue
            organisation.expiry_notices = [*organisation.expiry_notices, expiry.notice_key]
            organisation.save(update_fields=["expiry_notices"])
            subject, body = _message(expiry)
            recipients = sorted(set(_admin_emails(organisation)) | set(hq))
            if recipients:
                transaction.on_commit(
                    lambda s=subject, b=body, r=recipients: send_mail(
                        EMAIL_SUBJECT_PREFIX + s, b, settings.DEFAULT_FROM_EMAIL, r
                    )
                )
            sent += 1
    return sent
