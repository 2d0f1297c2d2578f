"""OVC screens: Form 1B, caregiver services (issue 18), added to case_apps/ovc/urls.py."""

from django.urls import path

from case_apps.ovc import views_form1b

urlpatterns: list = [
    path(
        "households/<int:household_id>/caregiver-services/new/",
        views_form1b.caregiver_service_add,
        name="caregiver_service_add",
    ),
]
