"""Screens: court sessions, court orders and summons (named in the cases: namespace)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
