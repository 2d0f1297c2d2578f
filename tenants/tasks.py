"""Celery tasks of the tenancy core: thin wrappers around the services."""

from celery import shared_task

from tenants.expiry import expiry_warnings_send


@shared_task(name="tenants.licence_expiry_warnings")
def licence_expiry_warnings() -> str:
    """Daily: warn CCIs and DCS of licences and gazettements expiring (tenants/expiry.py)."""
    return f"sent {expiry_warnings_send()}"
