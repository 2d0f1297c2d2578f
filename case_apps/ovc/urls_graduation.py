"""OVC screens: graduation (issue 18), added to case_apps/ovc/urls.py."""

from django.urls import path

from case_apps.ovc import views_graduation

urlpatterns: list = [
    path(
        "households/<int:household_id>/benchmarks/new/",
        views_graduation.benchmark_monitoring_create,
        name="benchmark_monitoring",
    ),
    path("graduation/", views_graduation.graduation_dashboard, name="graduation"),
    path("graduation/report/", views_graduation.graduation_report, name="graduation_report"),
    path("graduation/exits/", views_graduation.exits_report, name="exits_report"),
]
