"""National lists of institution admission (issue 19): (code, English label, Kiswahili label), with
the codes of Kenya's CPIMS (GLOSSARY.md), assembled in data_institutions.py."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _  # noqa: F401 (the titles below)

LISTS: dict[str, list[tuple[str, str, str]]] = {}
TITLES: dict[str, object] = {}
