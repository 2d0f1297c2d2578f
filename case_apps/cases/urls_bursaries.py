"""Screens: bursary applications and their approval chain (named in the cases: namespace).
The award recorded as decided elsewhere keeps its address in urls.py (``bursary_create``)."""

from django.urls import path

from case_apps.cases.views import bursaries

urlpatterns: list = [
    path("bursaries/", bursaries.bursary_list, name="bursaries"),
    path("<int:case_id>/bursaries/apply/", bursaries.bursary_apply, name="bursary_apply"),
    path(
        "<int:case_id>/bursaries/<int:application_id>/<str:step>/",
        bursaries.bursary_step,
        name="bursary_step",
    ),
]
