"""OVC screens: graduation (issue 18), added to case_apps/ovc/urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
