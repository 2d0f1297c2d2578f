"""Celery application: tenant-aware (tasks carry the schema they were sent from)."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpims.settings")

app = CeleryApp("cpims")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
