"""Screens: interventions, closure and reopening (named in the cases: namespace)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
