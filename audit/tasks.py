"""Periodic audit work: seal the queued audit rows into their chains (every few seconds) and
verify every hash chain (daily)."""

from __future__ import annotations

import logging

from celery import shared_task

from audit.chain import audit_verify_all
from audit.sealer import chain_seal, schemas_to_seal

logger = logging.getLogger("cpims.audit")


@shared_task(name="audit.verify_chains")
def verify_chains() -> dict[str, str]:
    """Verify every schema's chain; a broken one is logged at ERROR (alert on it)."""
    verdicts = {}
    for schema, broken in audit_verify_all().items():
        verdicts[schema] = "intact" if broken is None else str(broken)
        if broken is not None:
            logger.error("audit chain broken: %s", broken)
    return verdicts


@shared_task(name="audit.seal_chain")
def seal_chain_task(schema_name: str) -> int:
    """Link one schema's committed queued audit rows into its chain."""
    return chain_seal(schema_name)


@shared_task(name="audit.seal_chains")
def seal_chains_task() -> int:
    """Beat job: one sealer task per schema with rows awaiting their link, each sent into that
    schema; a task left queued past a few turns expires (the next turn sends a fresh one)."""
    schemas = schemas_to_seal()
    for schema in schemas:
        seal_chain_task.apply_async(
            args=[schema], headers={"_schema_name": schema}, expires=SEAL_TASK_EXPIRES
        )
    return len(schemas)


SEAL_TASK_EXPIRES = 60  # seconds


@shared_task(name="audit.dispose_expired_organisation")
def dispose_expired_organisation_task(
    organisation_id: int, dry_run: bool = False, requested_by_id: int | None = None
) -> int:
    """Dispose of what has expired in one organisation (routed to its schema by the sender)."""
    from audit.retention import dispose_expired
    from tenants.models import Organisation, User

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return 0
    requested_by = User.objects.filter(pk=requested_by_id).first() if requested_by_id else None
    run = dispose_expired(organisation=organisation, dry_run=dry_run, requested_by=requested_by)
    return run.total


@shared_task(name="audit.dispose_expired")
def dispose_expired_task(dry_run: bool = False, requested_by_id: int | None = None) -> int:
    """Beat job: one disposal task per organisation, each sent into that organisation's schema
    (tenant-schemas-celery runs a task in the schema named in its headers)."""
    from audit.retention import organisations_for_retention

    organisations = organisations_for_retention()
    for organisation in organisations:
        dispose_expired_organisation_task.apply_async(
            args=[organisation.pk, dry_run, requested_by_id],
            headers={"_schema_name": organisation.schema_name},
        )
    return len(organisations)
