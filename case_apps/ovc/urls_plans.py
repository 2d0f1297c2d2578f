"""OVC screens: plans (issue 18), added to case_apps/ovc/urls.py."""

from django.urls import path

from case_apps.ovc import views_delivered

urlpatterns: list = [
    path(
        "reports/services-by-domain/",
        views_delivered.services_report,
        name="services_report",
    ),
]
