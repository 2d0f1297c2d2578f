"""Bursary applications and their approval chain."""

from __future__ import annotations
