"""Institution screens: admissions (issue 19), added to case_apps/institutions/urls.py."""

from django.urls import path

from case_apps.institutions import views_admissions as views

urlpatterns: list = [
    path("admissions/new/", views.admit, name="admit"),
    path("admissions/<int:admission_id>/", views.admission, name="admission"),
    path("admissions/<int:admission_id>/discharge/", views.discharge, name="discharge"),
    path(
        "admissions/<int:admission_id>/discharge/undo/",
        views.discharge_undo,
        name="discharge_undo",
    ),
    path("cases/<int:case_id>/admit/", views.admit_case, name="admit_case"),
]
