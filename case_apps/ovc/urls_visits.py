"""OVC screens: household visits (issue 21), added to case_apps/ovc/urls.py."""

from django.urls import path

from case_apps.ovc import views_visits

urlpatterns: list = [
    path(
        "households/<int:household_id>/visits/new/",
        views_visits.household_visit_add,
        name="household_visit_add",
    ),
]
