"""Screens: bursary applications and their approval chain (named in the cases: namespace)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
