"""OVC screens: hiv (issue 18), added to case_apps/ovc/urls.py."""

from django.urls import path

from case_apps.ovc import views_care, views_hiv

urlpatterns: list = [
    path("hiv/", views_hiv.hiv_lists, name="hiv_lists"),
    path("facilities/", views_hiv.facility_search, name="facility_search"),
    path(
        "children/<int:enrolment_id>/screening/required/",
        views_care.screening_required,
        name="screening_required",
    ),
    path(
        "children/<int:enrolment_id>/screening/<int:screening_id>/art/",
        views_care.art_referral_complete,
        name="art_referral_complete",
    ),
    path("children/<int:enrolment_id>/hei-tests/new/", views_hiv.hei_test_add, name="hei_test"),
    path("children/<int:enrolment_id>/hei-outcome/", views_hiv.hei_outcome_add, name="hei_outcome"),
    path(
        "households/<int:household_id>/caregiver-hiv/new/",
        views_hiv.caregiver_hiv_add,
        name="caregiver_hiv",
    ),
]
