"""Institution screens: life (issue 19), added to case_apps/institutions/urls.py."""

from django.urls import path

from case_apps.institutions import views_life

A = "admissions/<int:admission_id>/"

urlpatterns: list = [
    path(f"{A}leave/new/", views_life.leave_add, name="leave_add"),
    path(f"{A}leave/<int:leave_id>/return/", views_life.leave_return, name="leave_return"),
    path(f"{A}adverse-events/new/", views_life.adverse_add, name="adverse_add"),
    path(f"{A}return/", views_life.return_record, name="return_record"),
    path(f"{A}education/new/", views_life.education_add, name="education_add"),
    path(f"{A}conferences/new/", views_life.conference_add, name="conference_add"),
    path(f"{A}care-plans/new/", views_life.care_plan_add, name="care_plan_add"),
    path(
        f"{A}care-plans/<int:plan_id>/reviews/new/",
        views_life.care_plan_review_add,
        name="care_plan_review_add",
    ),
]
