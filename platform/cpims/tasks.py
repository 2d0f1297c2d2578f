"""Platform-level Celery tasks."""

from celery import shared_task

from tenants.schema import current_schema_name


@shared_task(name="cpims.ping")
def ping() -> str:
    """Answer with the schema the task ran in: proves a worker routes tasks to their tenant."""
    return current_schema_name()
