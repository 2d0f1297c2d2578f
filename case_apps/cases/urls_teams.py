"""Screens: teams: who supervises whom (named in the cases: namespace)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
