from django.urls import path

from case_apps.ovc import (
    urls_form1b,
    urls_graduation,
    urls_hiv,
    urls_households,
    urls_plans,
    urls_transfers,
    urls_visits,
    views,
)

app_name = "ovc"
urlpatterns = [
    path("", views.household_list, name="households"),
    path("find-person/", views.find_person, name="find_person"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:household_id>/", views.household_detail, name="household"),
    path("households/<int:household_id>/assign/", views.household_assign, name="household_assign"),
    path("households/<int:household_id>/members/new/", views.member_add, name="member_add"),
    path("households/<int:household_id>/enrol/", views.enrol, name="enrol"),
    path("households/<int:household_id>/cpara/new/", views.cpara_create, name="cpara"),
    path(
        "households/<int:household_id>/wellbeing/new/",
        views.wellbeing_create,
        name="wellbeing",
    ),
    path("households/<int:household_id>/plan/new/", views.case_plan_add, name="plan_add"),
    path(
        "households/<int:household_id>/plan/<int:item_id>/complete/",
        views.case_plan_complete,
        name="plan_complete",
    ),
    path("children/", views.children_list, name="children"),
    path("children/<int:enrolment_id>/", views.enrolment_detail, name="enrolment"),
    path("children/<int:enrolment_id>/edit/", views.enrolment_edit, name="enrolment_edit"),
    path("children/<int:enrolment_id>/services/new/", views.service_add, name="service_add"),
    path("children/<int:enrolment_id>/screening/new/", views.screening_add, name="screening"),
    path(
        "children/<int:enrolment_id>/screening/<int:screening_id>/result/",
        views.screening_result,
        name="screening_result",
    ),
    path("children/<int:enrolment_id>/hiv-visits/new/", views.hiv_visit_add, name="hiv_visit"),
    path("children/<int:enrolment_id>/exit/", views.exit_record, name="exit"),
]

# issue 18: screens by subject, each in its own module
for _module in (
    urls_households,
    urls_plans,
    urls_hiv,
    urls_graduation,
    urls_transfers,
    urls_form1b,
    urls_visits,
):
    urlpatterns += _module.urlpatterns
