"""OVC screens: households (issue 18), added to case_apps/ovc/urls.py."""

from django.urls import path

from case_apps.ovc import views_households

urlpatterns: list = [
    path(
        "households/<int:household_id>/members/<int:member_id>/caregivers/",
        views_households.member_caregivers,
        name="member_caregivers",
    ),
]
