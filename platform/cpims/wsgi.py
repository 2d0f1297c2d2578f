"""WSGI entry point (any production server: gunicorn, waitress, uwsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpims.settings")
application = get_wsgi_application()
