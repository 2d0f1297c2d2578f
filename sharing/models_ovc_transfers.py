"""A child transferred from one implementing partner's OVC programme to another (issue 18,
point 7): public, since both partners see it. Imported at the bottom of sharing/models.py."""

from __future__ import annotations
