"""Life after onboarding: suspend, reactivate, archive (export first), delete (confirmed)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from provisioning import blueprint
from tenants.actor import Actor
from tenants.models import Membership, Organisation, OrganisationStatus, User
from tenants.policy import Permission

S = OrganisationStatus


class LifecycleError(Exception):
    pass


def _change_status(organisation: Organisation, *, allowed: set[str], to: str, by: User) -> None:
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if organisation.status not in allowed:
            raise LifecycleError(
                _("%(name)s is %(status)s.")
                % {"name": organisation.name, "status": organisation.get_status_display().lower()}
            )
        before = organisation.status
        organisation.status = to
        organisation.save(update_fields=["status", "updated_at"])
        LogEntry.objects.log_create(
            organisation,
            force_log=True,
            action=LogEntry.Action.UPDATE,
            actor=by,
            changes={"status": [before, to]},
        )


def organisation_suspend(*, actor: Actor, organisation: Organisation) -> None:
    """Members see a 'suspended' page from their next request; data is kept."""
    actor.require(Permission.VERIFY_ORGANISATIONS)
    _change_status(organisation, allowed={S.ACTIVE}, to=S.SUSPENDED, by=actor.user)


def organisation_reactivate(*, actor: Actor, organisation: Organisation) -> None:
    """A suspended or archived organisation's members may open its workspace again."""
    actor.require(Permission.VERIFY_ORGANISATIONS)
    _change_status(organisation, allowed={S.SUSPENDED, S.ARCHIVED}, to=S.ACTIVE, by=actor.user)


# --- Export ----------------------------------------------------------------------------------
def _export_dir(organisation: Organisation) -> str:
    return f"exports/{organisation.slug}"


def _workspace_tables(schema_name: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = %s AND table_type = 'BASE TABLE' ORDER BY table_name",
            [schema_name],
        )
        return [row[0] for row in cursor.fetchall()]


def _rows(schema_name: str, table: str) -> list:
    with connection.cursor() as cursor:
        # Names come from the catalogue and are quoted as identifiers.
        cursor.execute(
            f'SELECT row_to_json(t) FROM "{schema_name}"."{table}" t'  # noqa: S608
        )
        return [row[0] for row in cursor.fetchall()]


def organisation_export(*, organisation: Organisation) -> str:
    """A zip of every table of the workspace as JSON (plus its memberships) and a manifest with
    row counts and SHA-256 checksums; returns its storage name."""
    files: dict[str, bytes] = {}
    for table in _workspace_tables(organisation.schema_name):
        files[f"workspace/{table}.json"] = json.dumps(
            _rows(organisation.schema_name, table), ensure_ascii=False, indent=1, default=str
        ).encode()
    members = [
        {
            "email": m.user.email,
            "full_name": m.user.full_name,
            "roles": m.roles,
            "is_active": m.is_active,
            "created_at": m.created_at.isoformat(),
        }
        for m in Membership.objects.filter(organisation=organisation).select_related("user")
    ]
    files["platform/memberships.json"] = json.dumps(members, indent=1).encode()
    manifest = {
        "organisation": {
            "name": organisation.name,
            "slug": organisation.slug,
            "schema": organisation.schema_name,
            "kind": organisation.kind,
            "registration_number": organisation.registration_number,
        },
        "exported_at": timezone.now().isoformat(),
        "files": {
            name: {"rows": len(json.loads(data)), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in files.items()
        },
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr("manifest.json", json.dumps(manifest, indent=1))
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    name = f"{_export_dir(organisation)}/{organisation.slug}-{stamp}.zip"
    return default_storage.save(name, ContentFile(buffer.getvalue()))


def exports_of(*, organisation: Organisation) -> list[str]:
    try:
        _, names = default_storage.listdir(_export_dir(organisation))
    except FileNotFoundError:
        return []
    return sorted(n for n in names if n.endswith(".zip"))


def export_path(*, organisation: Organisation, name: str) -> Path | None:
    if name not in exports_of(organisation=organisation):
        return None
    return Path(default_storage.path(f"{_export_dir(organisation)}/{name}"))


def organisation_archive(*, actor: Actor, organisation: Organisation) -> str:
    """Export everything, then archive (the schema stays until a separate, confirmed delete)."""
    actor.require(Permission.VERIFY_ORGANISATIONS)
    if organisation.status not in {S.ACTIVE, S.SUSPENDED}:
        raise LifecycleError(_("Only an active or suspended organisation can be archived."))
    name = organisation_export(organisation=organisation)
    _change_status(organisation, allowed={S.ACTIVE, S.SUSPENDED}, to=S.ARCHIVED, by=actor.user)
    return name


@transaction.atomic
def organisation_delete(*, actor: Actor, organisation: Organisation, confirmation: str) -> None:
    """Delete an archived organisation and drop its schema: only with an export on file and the
    workspace address typed as confirmation; recorded in the platform audit log."""
    actor.require(Permission.VERIFY_ORGANISATIONS)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.status != S.ARCHIVED:
        raise LifecycleError(_("Only an archived organisation can be deleted."))
    exports = exports_of(organisation=organisation)
    if not exports:
        raise LifecycleError(_("No export exists: archive the organisation again first."))
    if confirmation.strip() != organisation.slug:
        raise LifecycleError(_("Type the workspace address to confirm the deletion."))
    children = list(organisation.children.values_list("name", flat=True)[:5])
    if children:  # the parent reference protects them: move them to another parent first
        raise LifecycleError(
            _("%(org)s is the parent of %(children)s: give them another parent first.")
            % {"org": organisation.name, "children": ", ".join(children)}
        )
    LogEntry.objects.log_create(
        organisation,
        force_log=True,
        action=LogEntry.Action.DELETE,
        actor=actor.user,
        changes={
            "status": [organisation.status, "deleted"],
            "schema": [organisation.schema_name, "dropped"],
            "export": [None, exports[-1]],
            "confirmation": [None, confirmation],
        },
    )
    blueprint.schema_drop(organisation.schema_name)
    organisation.delete()
