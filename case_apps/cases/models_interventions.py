"""Interventions recorded on a case after intake, per case category."""

from __future__ import annotations
