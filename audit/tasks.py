"""Periodic audit work: verify every hash chain (the beat schedule runs it daily)."""

from __future__ import annotations

import logging

from celery import shared_task

from audit.chain import audit_verify_all

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
