"""The Django project package of the CPIMS platform.

It lives in ``platform/cpims`` rather than in ``platform/`` itself: a top-level
package named ``platform`` would shadow Python's standard ``platform`` module.
``manage.py`` and pytest put ``platform/`` on ``sys.path``.
"""

from .celery import app as celery_app

__all__ = ["celery_app"]
